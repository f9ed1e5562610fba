import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import type { RecordAutomationLoopStopped } from './automation-guard.commands';
import { automationGuardDecider } from './automation-guard.decider';
import type { AutomationLoopStopped } from './automation-guard.events';
import { loopGuard } from './loop-guard';

describe('loop guard', () => {
  it('allows people and shallow automation', () => {
    expect(loopGuard({ automationDepth: 0, recentTriggersForTenant: 0 })).toEqual({ kind: 'allow' });
    expect(loopGuard({ automationDepth: 2, recentTriggersForTenant: 59 })).toEqual({ kind: 'allow' });
  });

  it('stops at the maximum depth', () => {
    expect(loopGuard({ automationDepth: 3, recentTriggersForTenant: 0 })).toEqual({
      kind: 'stop',
      reason: 'max_depth',
      detail: 'automation depth 3 reached the limit of 3',
    });
    expect(loopGuard({ automationDepth: 1, maxDepth: 1, recentTriggersForTenant: 0 })).toMatchObject({ kind: 'stop', reason: 'max_depth' });
  });

  it('stops automation over the per-tenant rate', () => {
    expect(loopGuard({ automationDepth: 1, recentTriggersForTenant: 60 })).toMatchObject({ kind: 'stop', reason: 'rate_limit' });
    expect(loopGuard({ automationDepth: 1, recentTriggersForTenant: 9, maxPerMinute: 10 })).toEqual({ kind: 'allow' });
  });

  it('never rate-stops what people and external producers start (depth 0): a bulk import is not a loop', () => {
    expect(loopGuard({ automationDepth: 0, recentTriggersForTenant: 10_000 })).toEqual({ kind: 'allow' });
  });
});

describe('automation guard stream', () => {
  const spec = deciderSpecification(automationGuardDecider);
  const record: RecordAutomationLoopStopped = {
    type: 'RecordAutomationLoopStopped',
    data: {
      triggerEventId: 'trigger-1',
      trigger: { kind: 'event_type', eventTypeKey: 'task.completed' },
      subjectId: 'lead-1',
      depth: 3,
      reason: 'max_depth',
      detail: 'automation depth 3 reached the limit of 3',
    },
    metadata: meta({ automationDepth: 3 }),
  };
  const stopped: AutomationLoopStopped = {
    type: 'AutomationLoopStopped',
    data: { tenantId: TENANT, ...record.data, stoppedBy: ACTOR, stoppedAt: NOW_ISO },
  };

  describe('when the trigger was not stopped yet', () => {
    it('records the stop with its reason', () => {
      spec.given([]).when(record).then([stopped]);
    });

    it('refuses a malformed record', () => {
      spec
        .given([])
        .when({ ...record, data: { ...record.data, depth: -1, reason: 'bored' as 'max_depth' } })
        .thenThrows(DomainErrorCode.InvalidArgument, ['depth', 'reason']);
    });
  });

  describe('when the trigger was already stopped', () => {
    it('records nothing again (a retried activity)', () => {
      spec.given([stopped]).when(record).then([]);
    });
  });
});
