import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { meta, NOW, TENANT } from '../shared/command-metadata.fixtures';
import type { SetReminderPolicy } from './reminder-policy.commands';
import { DEFAULT_REMINDER_POLICY, reminderPolicyDecider, rulesFor } from './reminder-policy.decider';
import type { ReminderPolicy, ReminderPolicySet } from './reminder-policy.events';

const spec = deciderSpecification(reminderPolicyDecider);
const set = (policy: Partial<ReminderPolicy>): SetReminderPolicy => ({
  type: 'SetReminderPolicy',
  data: { policy: { ...DEFAULT_REMINDER_POLICY, ...policy } },
  metadata: meta({ actorId: 'user-manager', actorKind: 'user' }),
});
const policySet = (policy: ReminderPolicy): ReminderPolicySet => ({
  type: 'ReminderPolicySet',
  data: { tenantId: TENANT, ...policy, setBy: 'user-manager', setAt: NOW.toISOString() },
});

describe('reminder policy decider', () => {
  it('keeps a policy normalised: offsets without repeats (P1D is PT24H), longest first; overrides by template key', () => {
    spec
      .given([])
      .when(
        set({
          offsets: ['PT2H', 'P1D', 'P3D', 'PT24H'],
          templateOverrides: [
            { templateKey: 'venue-visit', offsets: ['PT30M'] },
            { templateKey: 'call-back', offsets: ['PT1H', 'P1W'] },
          ],
          workingHours: { start: '08:00', end: '18:00' },
          outsideWorkingTime: 'NEXT_WORKING_TIME',
          overdueAfter: 'PT0S',
        }),
      )
      .then([
        policySet({
          offsets: ['P3D', 'P1D', 'PT2H'],
          templateOverrides: [
            { templateKey: 'call-back', offsets: ['P1W', 'PT1H'] },
            { templateKey: 'venue-visit', offsets: ['PT30M'] },
          ],
          workingHours: { start: '08:00', end: '18:00' },
          outsideWorkingTime: 'NEXT_WORKING_TIME',
          overdueAfter: 'PT0S',
        }),
      ]);
  });

  it('sets the default explicitly the first time, and then treats the same policy again as nothing to do', () => {
    spec.given([]).when(set({})).then([policySet(DEFAULT_REMINDER_POLICY)]);
    spec.given([policySet(DEFAULT_REMINDER_POLICY)]).when(set({ offsets: ['P1D', 'P3D'] })).then([]);
  });

  it('refuses durations that are not weeks/days/hours/minutes/seconds, zero offsets, more than a year, too many offsets, bad hours and repeated templates', () => {
    spec
      .given([])
      .when(
        set({
          offsets: ['P1M', 'PT0S', 'P400D', 'tomorrow'],
          templateOverrides: [
            { templateKey: 'Bad Key', offsets: [] },
            { templateKey: 'a', offsets: Array.from({ length: 11 }, (_, i) => `PT${i + 1}H`) },
            { templateKey: 'a', offsets: [] },
          ],
          workingHours: { start: '18:00', end: '08:00' },
          outsideWorkingTime: 'SOMETIMES' as never,
          overdueAfter: '-P1D',
        }),
      )
      .thenThrows(DomainErrorCode.InvalidArgument, [
        'policy.offsets[0]',
        'policy.offsets[1]',
        'policy.offsets[2]',
        'policy.offsets[3]',
        'policy.templateOverrides[0].templateKey',
        'policy.templateOverrides[1].offsets',
        'policy.templateOverrides[2].templateKey',
        'policy.workingHours.end',
        'policy.outsideWorkingTime',
        'policy.overdueAfter',
      ]);
  });

  it('gives a task its template’s offsets where the policy overrides them, the tenant’s otherwise', () => {
    const policy: ReminderPolicy = { ...DEFAULT_REMINDER_POLICY, templateOverrides: [{ templateKey: 'call-back', offsets: ['PT1H'] }] };
    expect(rulesFor(policy, 'call-back').offsets).toEqual(['PT1H']);
    expect(rulesFor(policy, 'other').offsets).toEqual(['P3D', 'P1D']);
    expect(rulesFor(policy, null).offsets).toEqual(['P3D', 'P1D']);
  });
});
