import { Injectable } from '@nestjs/common';
import type { schedulingRemindersV1 } from '@projectflo/contracts';
import { type CommandContext, echoedInt64, expectedVersion, list, type RequestContext, text, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { policyOf, REMINDER_POLICY_LIMITS, reminderPolicyDecider, SchedulingStreams, type ReminderPolicyState } from '@projectflo/scheduling/domain';
import { z } from 'zod';
import { outsideWorkingTime } from './reminder-policy.mapping';

/** An ISO-8601 duration as text (its form and range are the domain's rule). */
const durationText = text(32, { required: true });
const offsets = list(durationText, REMINDER_POLICY_LIMITS.offsets);
const required = { invalid_type_error: 'is required', required_error: 'is required' };

const setRequest = z.object({
  policy: z.object(
    {
      offsets,
      templateOverrides: list(z.object({ templateKey: text(REMINDER_POLICY_LIMITS.templateKey, { required: true }), offsets }), REMINDER_POLICY_LIMITS.templateOverrides),
      workingHours: z
        .object({ start: text(5, { required: true }), end: text(5, { required: true }) })
        .nullish()
        .transform((v) => v ?? null),
      outsideWorkingTime: outsideWorkingTime.required,
      overdueAfter: durationText,
      version: echoedInt64,
    },
    required,
  ),
  expectedVersion,
});

function toProto(state: ReminderPolicyState, version: number): schedulingRemindersV1.ReminderPolicy {
  const policy = policyOf(state);
  return {
    offsets: [...policy.offsets],
    templateOverrides: policy.templateOverrides.map((o) => ({ templateKey: o.templateKey, offsets: [...o.offsets] })),
    ...(policy.workingHours ? { workingHours: { ...policy.workingHours } } : {}),
    outsideWorkingTime: outsideWorkingTime.toProto(policy.outsideWorkingTime),
    overdueAfter: policy.overdueAfter,
    version: String(version),
  };
}

/** SetReminderPolicy / GetReminderPolicy: the tenant's policy stream (`reminder-policy-<tenantId>`), read strongly consistent. */
@Injectable()
export class ReminderPolicyCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async set(ctx: CommandContext, request: schedulingRemindersV1.SetReminderPolicyRequest): Promise<schedulingRemindersV1.SetReminderPolicyResponse> {
    const { policy, expectedVersion: version } = validate(setRequest, request);
    const result = await this.executor.run(
      reminderPolicyDecider,
      SchedulingStreams.reminderPolicy(ctx.tenantId),
      {
        type: 'SetReminderPolicy',
        data: {
          policy: {
            offsets: policy.offsets,
            templateOverrides: policy.templateOverrides,
            workingHours: policy.workingHours,
            outsideWorkingTime: policy.outsideWorkingTime,
            overdueAfter: policy.overdueAfter,
          },
        },
      },
      { context: ctx, expectedVersion: version },
    );
    return { policy: toProto(result.state, result.version) };
  }

  async get(ctx: RequestContext): Promise<schedulingRemindersV1.GetReminderPolicyResponse> {
    const { state, version } = await this.executor.load(reminderPolicyDecider, SchedulingStreams.reminderPolicy(ctx.tenantId), ctx.tenantId);
    return { policy: toProto(state, version) };
  }
}
