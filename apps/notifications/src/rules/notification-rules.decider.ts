import { assertNever, type CommandMetadata, defineDecider, DomainError, Violations } from '@projectflo/platform/core';
import { DateTime, Duration } from 'luxon';
import { templateViolations } from './message-template';
import type { ChangeNotificationRule, DefineNotificationRule, NotificationRuleCommand, RemoveNotificationRule, RuleInput } from './notification-rules.commands';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_TRIGGERS,
  RECIPIENT_ROLES,
  type NotificationRuleDefinition,
  type NotificationRuleEvent,
  type RecipientSpec,
} from './notification-rules.events';

/**
 * A tenant's notification rules: one catalog stream per tenant (`notification-rules-<tenantId>`),
 * so the trigger consumer reads every rule of a tenant with one strongly consistent load from the
 * event store (never from a read model that may lag), and ListNotificationRules folds the same
 * stream. Edits of one tenant's rules are serialised on that stream (the executor retries a
 * conflict; a client's expected version is the catalog's).
 */
export const RULE_LIMITS = {
  rulesPerTenant: 200,
  name: 200,
  templateKey: 64,
  recipients: 10,
  userId: 128,
  subject: 200,
  body: 4_000,
  throttleLimit: 1_000,
} as const;

/** Digest and throttle windows: at least a second, at most a week. */
export const WINDOW_BOUNDS_MS = { min: 1_000, max: 7 * 86_400_000 } as const;

/** The length of an ISO-8601 window of days, hours, minutes, seconds (no months or years), or undefined. */
export function windowMs(value: string): number | undefined {
  if (!/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(value)) return undefined;
  const ms = Duration.fromISO(value).as('milliseconds');
  return Number.isFinite(ms) ? ms : undefined;
}

function window(v: Violations, field: string, value: unknown): string {
  const text = v.text(field, value, { max: 32, required: true, trim: false });
  const ms = windowMs(text);
  if (text !== '' && (ms === undefined || ms < WINDOW_BOUNDS_MS.min || ms > WINDOW_BOUNDS_MS.max)) {
    v.add(field, 'must be an ISO-8601 duration of days, hours, minutes or seconds between PT1S and P7D, e.g. PT1H');
  }
  return text;
}

const TEMPLATE_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface StoredRule extends NotificationRuleDefinition {
  readonly ruleId: string;
  /** Times the rule was defined or changed (1 after its definition). */
  readonly revision: number;
}

export interface NotificationRulesState {
  /** Live rules by id; a removed rule's id is in `removed` and cannot be reused. */
  readonly rules: Readonly<Record<string, StoredRule>>;
  readonly removed: readonly string[];
}

export const initialNotificationRulesState = (): NotificationRulesState => ({ rules: {}, removed: [] });

export function evolveNotificationRules(state: NotificationRulesState, event: NotificationRuleEvent): NotificationRulesState {
  switch (event.type) {
    case 'NotificationRuleDefined':
    case 'NotificationRuleChanged': {
      const { ruleId } = event.data;
      const revision = (state.rules[ruleId]?.revision ?? 0) + 1;
      return { ...state, rules: { ...state.rules, [ruleId]: { ...definitionOf(event.data), ruleId, revision } } };
    }
    case 'NotificationRuleRemoved': {
      const { [event.data.ruleId]: _gone, ...rules } = state.rules;
      return { rules, removed: [...state.removed, event.data.ruleId] };
    }
    default:
      return assertNever(event, 'notification rule event');
  }
}

/** The rule's own fields, without the event's tenant and authorship. */
export function definitionOf(rule: NotificationRuleDefinition): NotificationRuleDefinition {
  const { name, trigger, templateKey, channel, recipients, subject, body, critical, smsFallbackToEmail } = rule;
  // Rules defined before digests and throttles existed have neither.
  return { name, trigger, templateKey, channel, recipients, subject, body, critical, smsFallbackToEmail, digestWindow: rule.digestWindow ?? null, throttle: rule.throttle ?? null };
}

/** The rules of the catalog, in the order they were defined. */
export function rulesOf(state: NotificationRulesState): StoredRule[] {
  return Object.values(state.rules);
}

function recipient(v: Violations, field: string, value: unknown): RecipientSpec {
  const entry = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const kind = v.oneOf(`${field}.kind`, entry['kind'], ['assignee', 'lead_owner', 'user', 'role'] as const);
  switch (kind) {
    case 'assignee':
    case 'lead_owner':
      return { kind };
    case 'user':
      return { kind, userId: v.identifier(`${field}.userId`, entry['userId'], RULE_LIMITS.userId) };
    case 'role':
      return { kind, role: v.oneOf(`${field}.role`, entry['role'], RECIPIENT_ROLES) };
    default:
      return assertNever(kind, 'recipient kind');
  }
}

/** The rule checked field by field (every violation at once), text trimmed, recipients without repeats. */
export function validateRule(input: RuleInput): NotificationRuleDefinition {
  const v = new Violations();
  const name = v.text('rule.name', input.name, { max: RULE_LIMITS.name, required: true });
  const trigger = v.oneOf('rule.trigger', input.trigger, NOTIFICATION_TRIGGERS);
  const templateKey = v.optionalText('rule.templateKey', input.templateKey, {
    max: RULE_LIMITS.templateKey,
    trim: false,
    pattern: TEMPLATE_KEY,
    patternDescription: 'must be a task template key of [a-z0-9-]',
  });
  const channel = v.oneOf('rule.channel', input.channel, NOTIFICATION_CHANNELS);
  const given = Array.isArray(input.recipients) ? (input.recipients as unknown[]) : [];
  v.check(given.length > 0, 'rule.recipients', 'must name at least one recipient');
  v.check(given.length <= RULE_LIMITS.recipients, 'rule.recipients', `must have at most ${RULE_LIMITS.recipients} items`);
  const recipients: RecipientSpec[] = [];
  given.slice(0, RULE_LIMITS.recipients).forEach((entry, index) => {
    const spec = recipient(v, `rule.recipients[${index}]`, entry);
    if (!recipients.some((r) => JSON.stringify(r) === JSON.stringify(spec))) recipients.push(spec);
  });
  const subject = v.text('rule.subject', input.subject, { max: RULE_LIMITS.subject, required: channel === 'email' || channel === 'in_app' });
  const body = v.text('rule.body', input.body, { max: RULE_LIMITS.body, required: true });
  for (const violation of [...templateViolations('rule.subject', subject), ...templateViolations('rule.body', body)]) v.add(violation.field, violation.description);
  const critical = v.boolean('rule.critical', input.critical);
  const smsFallbackToEmail = v.boolean('rule.smsFallbackToEmail', input.smsFallbackToEmail);
  v.check(!smsFallbackToEmail || channel === 'sms', 'rule.smsFallbackToEmail', 'applies only to an SMS rule');
  const digestWindow = input.digestWindow === null || input.digestWindow === undefined || input.digestWindow === '' ? null : window(v, 'rule.digestWindow', input.digestWindow);
  const throttleInput = input.throttle as { limit?: unknown; window?: unknown } | null | undefined;
  const throttle = throttleInput
    ? { limit: v.integer('rule.throttle.limit', throttleInput.limit, { min: 1, max: RULE_LIMITS.throttleLimit }), window: window(v, 'rule.throttle.window', throttleInput.window) }
    : null;
  v.check(!(digestWindow && throttle), 'rule.throttle', 'a digest rule sends one message per window already: set a digest window or a throttle, not both');
  v.throwIfAny();
  return { name, trigger, templateKey, channel, recipients, subject, body, critical, smsFallbackToEmail, digestWindow, throttle };
}

const at = (metadata: CommandMetadata): string => DateTime.fromJSDate(metadata.now, { zone: 'utc' }).toISO() ?? metadata.now.toISOString();

function same(a: NotificationRuleDefinition, b: NotificationRuleDefinition): boolean {
  return JSON.stringify(definitionOf(a)) === JSON.stringify(definitionOf(b));
}

function decideDefine(command: DefineNotificationRule, state: NotificationRulesState): NotificationRuleEvent[] {
  const { ruleId } = command.data;
  const rule = validateRule(command.data.rule);
  if (state.rules[ruleId] || state.removed.includes(ruleId)) throw DomainError.alreadyExists('notification rule', ruleId);
  if (rulesOf(state).length >= RULE_LIMITS.rulesPerTenant) {
    throw DomainError.precondition(`a tenant has at most ${RULE_LIMITS.rulesPerTenant} notification rules; remove one first`);
  }
  const { tenantId, actorId } = command.metadata;
  return [{ type: 'NotificationRuleDefined', data: { tenantId, ruleId, ...rule, definedBy: actorId, definedAt: at(command.metadata) } }];
}

function decideChange(command: ChangeNotificationRule, state: NotificationRulesState): NotificationRuleEvent[] {
  const { ruleId } = command.data;
  const rule = validateRule(command.data.rule);
  const current = state.rules[ruleId];
  if (!current) throw DomainError.notFound('notification rule', ruleId);
  if (same(current, rule)) return [];
  const { tenantId, actorId } = command.metadata;
  return [{ type: 'NotificationRuleChanged', data: { tenantId, ruleId, ...rule, changedBy: actorId, changedAt: at(command.metadata) } }];
}

function decideRemove(command: RemoveNotificationRule, state: NotificationRulesState): NotificationRuleEvent[] {
  const { ruleId } = command.data;
  if (!state.rules[ruleId]) throw DomainError.notFound('notification rule', ruleId);
  const { tenantId, actorId } = command.metadata;
  return [{ type: 'NotificationRuleRemoved', data: { tenantId, ruleId, removedBy: actorId, removedAt: at(command.metadata) } }];
}

export const notificationRulesDecider = defineDecider<NotificationRulesState, NotificationRuleCommand, NotificationRuleEvent>({
  aggregate: 'notification rules',
  schemaVersions: { NotificationRuleDefined: 1, NotificationRuleChanged: 1, NotificationRuleRemoved: 1 },
  initialState: initialNotificationRulesState,
  evolve: evolveNotificationRules,
  decide: (command, state) => {
    switch (command.type) {
      case 'DefineNotificationRule':
        return decideDefine(command, state);
      case 'ChangeNotificationRule':
        return decideChange(command, state);
      case 'RemoveNotificationRule':
        return decideRemove(command, state);
      default:
        return assertNever(command, 'notification rule command');
    }
  },
});
