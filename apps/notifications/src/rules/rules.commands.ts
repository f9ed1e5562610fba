import { Injectable } from '@nestjs/common';
import type { notificationRulesV1 } from '@projectflo/contracts';
import { deriveId } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, list, type RequestContext, text, uuid, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { NotificationsStreams } from '../notifications.streams';
import type { RuleInput } from './notification-rules.commands';
import { notificationRulesDecider, RULE_LIMITS, rulesOf } from './notification-rules.decider';
import { notificationChannel, notificationTrigger, recipientKind, ruleToProto } from './rules.mapping';

const flag = z
  .boolean()
  .nullish()
  .transform((v) => v ?? false);

/** The bounds of proto/notifications/v1/rules.proto; the decider checks the rest (templates, recipients by kind). */
const ruleSpec = z.object(
  {
    name: text(RULE_LIMITS.name),
    trigger: notificationTrigger.required,
    templateKey: text(RULE_LIMITS.templateKey),
    channel: notificationChannel.required,
    recipients: list(z.object({ kind: recipientKind.required, userId: text(RULE_LIMITS.userId), role: text(20) }), RULE_LIMITS.recipients),
    subject: text(RULE_LIMITS.subject),
    body: text(RULE_LIMITS.body),
    critical: flag,
    smsFallbackToEmail: flag,
    digestWindow: text(32),
    throttle: z.object({ limit: z.number().int(), window: text(32) }).nullish(),
  },
  { invalid_type_error: 'is required', required_error: 'is required' },
);

const defineRequest = z.object({ rule: ruleSpec, expectedVersion });
const changeRequest = z.object({ ruleId: uuid, rule: ruleSpec, expectedVersion });
const removeRequest = z.object({ ruleId: uuid, expectedVersion });

function ruleInput(spec: z.output<typeof ruleSpec>): RuleInput {
  return {
    ...spec,
    templateKey: spec.templateKey === '' ? null : spec.templateKey,
    digestWindow: spec.digestWindow === '' ? null : spec.digestWindow,
    throttle: spec.throttle ?? null,
    recipients: spec.recipients.map((r) => ({ kind: r.kind, userId: r.userId, role: r.role })),
  };
}

/** DefineNotificationRule, ChangeNotificationRule, RemoveNotificationRule and ListNotificationRules over the tenant's rule catalog. */
@Injectable()
export class NotificationRuleCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async define(ctx: CommandContext, request: notificationRulesV1.DefineNotificationRuleRequest): Promise<notificationRulesV1.DefineNotificationRuleResponse> {
    const { rule, expectedVersion: version } = validate(defineRequest, request);
    const ruleId = deriveId('notification-rule', ctx.tenantId, ctx.requestId);
    const result = await this.executor.run(
      notificationRulesDecider,
      NotificationsStreams.notificationRules(ctx.tenantId),
      { type: 'DefineNotificationRule', data: { ruleId, rule: ruleInput(rule) } },
      { context: ctx, expectedVersion: version },
    );
    return { rule: ruleToProto(result.state.rules[ruleId]!), version: String(result.version) };
  }

  async change(ctx: CommandContext, request: notificationRulesV1.ChangeNotificationRuleRequest): Promise<notificationRulesV1.ChangeNotificationRuleResponse> {
    const { ruleId, rule, expectedVersion: version } = validate(changeRequest, request);
    const result = await this.executor.run(
      notificationRulesDecider,
      NotificationsStreams.notificationRules(ctx.tenantId),
      { type: 'ChangeNotificationRule', data: { ruleId, rule: ruleInput(rule) } },
      { context: ctx, expectedVersion: version },
    );
    return { rule: ruleToProto(result.state.rules[ruleId]!), version: String(result.version) };
  }

  async remove(ctx: CommandContext, request: notificationRulesV1.RemoveNotificationRuleRequest): Promise<notificationRulesV1.RemoveNotificationRuleResponse> {
    const { ruleId, expectedVersion: version } = validate(removeRequest, request);
    const result = await this.executor.run(
      notificationRulesDecider,
      NotificationsStreams.notificationRules(ctx.tenantId),
      { type: 'RemoveNotificationRule', data: { ruleId } },
      { context: ctx, expectedVersion: version },
    );
    return { version: String(result.version) };
  }

  /** Folded from the catalog stream: the rules as the trigger consumer applies them, never a lagging copy. */
  async list(ctx: RequestContext): Promise<notificationRulesV1.ListNotificationRulesResponse> {
    const { state, version } = await this.executor.load(notificationRulesDecider, NotificationsStreams.notificationRules(ctx.tenantId), ctx.tenantId);
    return { rules: rulesOf(state).map(ruleToProto), version: String(version) };
  }
}
