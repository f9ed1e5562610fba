import { assertNever, defineDecider, Violations } from '@projectflo/platform/core';
import { MAX_DURATION_DAYS, parseDuration, toInstantString } from '../shared/time';
import type { ReminderRules } from './firing-times';
import type { ReminderPolicyCommand, SetReminderPolicy } from './reminder-policy.commands';
import type { ReminderPolicy, ReminderPolicyEvent, TemplateOffsets } from './reminder-policy.events';

/** Bounds of one policy (the contract's and the edge's too). */
export const REMINDER_POLICY_LIMITS = { offsets: 10, templateOverrides: 200, templateKey: 64 } as const;

/** The policy of a tenant that has not set one: three days and one day before the due date, whenever they land; overdue a day after. */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  offsets: ['P3D', 'P1D'],
  templateOverrides: [],
  workingHours: null,
  outsideWorkingTime: 'FIRE_ANYWAY',
  overdueAfter: 'P1D',
};

export interface ReminderPolicyState {
  /** Null until the tenant sets one: DEFAULT_REMINDER_POLICY applies. */
  readonly policy: ReminderPolicy | null;
}

export const initialReminderPolicyState = (): ReminderPolicyState => ({ policy: null });

export function evolveReminderPolicy(_state: ReminderPolicyState, event: ReminderPolicyEvent): ReminderPolicyState {
  switch (event.type) {
    case 'ReminderPolicySet': {
      const { offsets, templateOverrides, workingHours, outsideWorkingTime, overdueAfter } = event.data;
      return { policy: { offsets, templateOverrides, workingHours, outsideWorkingTime, overdueAfter } };
    }
    default:
      return assertNever(event.type, 'reminder policy event');
  }
}

/** The policy in force. */
export function policyOf(state: ReminderPolicyState): ReminderPolicy {
  return state.policy ?? DEFAULT_REMINDER_POLICY;
}

/** The rules of one task: its template's offsets where the policy overrides them, the tenant's otherwise. */
export function rulesFor(policy: ReminderPolicy, templateKey: string | null): ReminderRules {
  const override = templateKey === null ? undefined : policy.templateOverrides.find((o) => o.templateKey === templateKey);
  return {
    offsets: override?.offsets ?? policy.offsets,
    workingHours: policy.workingHours,
    outsideWorkingTime: policy.outsideWorkingTime,
    overdueAfter: policy.overdueAfter,
  };
}

const LOCAL_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const TEMPLATE_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function durationField(v: Violations, field: string, value: unknown, allowZero: boolean): { text: string; ms: number } {
  const text = typeof value === 'string' ? value.trim() : '';
  const parsed = parseDuration(text);
  const ms = parsed?.as('milliseconds') ?? 0;
  if (!parsed) v.add(field, 'must be an ISO-8601 duration of weeks, days, hours, minutes or seconds, e.g. P3D or PT2H');
  else if (ms > MAX_DURATION_DAYS * 86_400_000) v.add(field, `must be at most ${MAX_DURATION_DAYS} days`);
  else if (!allowZero && ms === 0) v.add(field, 'must be longer than zero');
  return { text, ms };
}

/** Offsets without repeats (by length: P1D and PT24H are one), longest first. */
function offsetsField(v: Violations, field: string, value: unknown): string[] {
  if (!Array.isArray(value)) {
    v.add(field, 'must be a list of durations');
    return [];
  }
  if (value.length > REMINDER_POLICY_LIMITS.offsets) {
    v.add(field, `must have at most ${REMINDER_POLICY_LIMITS.offsets} items`);
    return [];
  }
  const seen = new Map<number, string>();
  value.forEach((item: unknown, i) => {
    const { text, ms } = durationField(v, `${field}[${i}]`, item, false);
    if (ms > 0 && !seen.has(ms)) seen.set(ms, text);
  });
  return [...seen.entries()].sort((a, b) => b[0] - a[0]).map(([, text]) => text);
}

/** The policy as it is kept, or the violations of every field (domain names under `field`: policy.offsets[i], policy.templateOverrides[i].offsets[j], policy.workingHours.start, ...). */
export function validateReminderPolicy(policy: ReminderPolicy, field = 'policy'): ReminderPolicy {
  const v = new Violations();
  const offsets = offsetsField(v, `${field}.offsets`, policy?.offsets);
  const overrides: TemplateOffsets[] = [];
  const raw: unknown = policy?.templateOverrides;
  if (!Array.isArray(raw)) v.add(`${field}.templateOverrides`, 'must be a list');
  else if (raw.length > REMINDER_POLICY_LIMITS.templateOverrides) v.add(`${field}.templateOverrides`, `must have at most ${REMINDER_POLICY_LIMITS.templateOverrides} items`);
  else {
    const keys = new Set<string>();
    raw.forEach((o: { templateKey?: unknown; offsets?: unknown } | undefined, i) => {
      const at = `${field}.templateOverrides[${i}]`;
      const templateKey = v.text(`${at}.templateKey`, o?.templateKey, {
        max: REMINDER_POLICY_LIMITS.templateKey,
        required: true,
        pattern: TEMPLATE_KEY,
        patternDescription: 'must be a template key of [a-z0-9-]',
      });
      if (keys.has(templateKey)) v.add(`${at}.templateKey`, 'is listed twice');
      keys.add(templateKey);
      overrides.push({ templateKey, offsets: offsetsField(v, `${at}.offsets`, o?.offsets) });
    });
  }
  let workingHours: ReminderPolicy['workingHours'] = null;
  if (policy?.workingHours) {
    const { start, end } = policy.workingHours;
    const okStart = v.check(typeof start === 'string' && LOCAL_TIME.test(start), `${field}.workingHours.start`, 'must be a time HH:mm');
    const okEnd = v.check(typeof end === 'string' && LOCAL_TIME.test(end), `${field}.workingHours.end`, 'must be a time HH:mm');
    if (okStart && okEnd) v.check(start < end, `${field}.workingHours.end`, 'must be after the start');
    workingHours = { start, end };
  }
  const outsideWorkingTime = v.oneOf(`${field}.outsideWorkingTime`, policy?.outsideWorkingTime, ['FIRE_ANYWAY', 'NEXT_WORKING_TIME'] as const);
  const overdueAfter = durationField(v, `${field}.overdueAfter`, policy?.overdueAfter, true).text;
  v.throwIfAny();
  overrides.sort((a, b) => a.templateKey.localeCompare(b.templateKey));
  return { offsets, templateOverrides: overrides, workingHours, outsideWorkingTime, overdueAfter };
}

function decideSet(command: SetReminderPolicy, state: ReminderPolicyState): ReminderPolicyEvent[] {
  const { metadata } = command;
  const next = validateReminderPolicy(command.data.policy);
  if (JSON.stringify(policyOf(state)) === JSON.stringify(next) && state.policy !== null) return [];
  return [{ type: 'ReminderPolicySet', data: { tenantId: metadata.tenantId, ...next, setBy: metadata.actorId, setAt: toInstantString(metadata.now) } }];
}

/** A tenant's reminder policy: one stream per tenant (`reminder-policy-<tenantId>`). */
export const reminderPolicyDecider = defineDecider<ReminderPolicyState, ReminderPolicyCommand, ReminderPolicyEvent>({
  aggregate: 'reminder policy',
  schemaVersions: { ReminderPolicySet: 1 },
  initialState: initialReminderPolicyState,
  evolve: evolveReminderPolicy,
  decide: (command, state) => {
    switch (command.type) {
      case 'SetReminderPolicy':
        return decideSet(command, state);
      default:
        return assertNever(command.type, 'reminder policy command');
    }
  },
});
