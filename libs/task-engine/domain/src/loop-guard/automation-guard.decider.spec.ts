import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { LIMITS } from '../shared/text-limits';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import type { RecordAutomationLoopStopped } from './automation-guard.commands';
import { automationGuardDecider } from './automation-guard.decider';
import type { AutomationLoopStopped } from './automation-guard.events';

const { given } = deciderSpecification(automationGuardDecider);

const record = (data: Partial<RecordAutomationLoopStopped['data']> = {}): RecordAutomationLoopStopped => ({
  type: 'RecordAutomationLoopStopped',
  data: {
    triggerEventId: 'trigger-1',
    trigger: { kind: 'event_type', eventTypeKey: 'task.completed' },
    subjectId: 'lead-1',
    depth: 3,
    reason: 'max_depth',
    detail: 'automation depth 3 reached the limit of 3',
    ...data,
  },
  metadata: meta({ automationDepth: 3 }),
});

const stopped = (command: RecordAutomationLoopStopped): AutomationLoopStopped => ({
  type: 'AutomationLoopStopped',
  data: { tenantId: TENANT, ...command.data, stoppedBy: ACTOR, stoppedAt: NOW_ISO },
});

describe('automation guard', () => {
  describe('RecordAutomationLoopStopped', () => {
    describe('when no trigger was stopped yet', () => {
      it('records the stop with its reason, trigger and depth', () => {
        given([]).when(record()).then([stopped(record())]);
      });

      it('records a rate stop of a lead-status trigger', () => {
        const rate = record({
          trigger: { kind: 'lead_status', statusId: 'status-booked' },
          depth: 1,
          reason: 'rate_limit',
          detail: '60 automated triggers in the last minute reached the limit of 60',
        });
        given([]).when(rate).then([stopped(rate)]);
      });

      it('names every malformed field at once', () => {
        given([])
          .when(
            record({
              triggerEventId: 'has space',
              subjectId: '',
              depth: -1,
              reason: 'bored' as 'max_depth',
              detail: '',
              trigger: { kind: 'cron' } as unknown as RecordAutomationLoopStopped['data']['trigger'],
            }),
          )
          .thenThrows(DomainErrorCode.InvalidArgument, ['triggerEventId', 'subjectId', 'depth', 'reason', 'detail', 'trigger.kind']);
      });

      it('refuses a depth past its bound, a fractional one and a detail over its limit', () => {
        given([]).when(record({ depth: 1_001 })).thenThrows(DomainErrorCode.InvalidArgument, ['depth']);
        given([]).when(record({ depth: 1.5 })).thenThrows(DomainErrorCode.InvalidArgument, ['depth']);
        given([]).when(record({ detail: 'x'.repeat(LIMITS.reason + 1) })).thenThrows(DomainErrorCode.InvalidArgument, ['detail']);
      });
    });

    describe('when this trigger was already stopped', () => {
      it('records nothing again (a retried activity)', () => {
        given([stopped(record())]).when(record()).then([]);
      });

      it('records nothing again even when the retry gives another reason', () => {
        given([stopped(record())]).when(record({ reason: 'rate_limit', detail: 'later' })).then([]);
      });
    });

    describe('when another trigger was stopped', () => {
      it('records this one as well', () => {
        const other = record({ triggerEventId: 'trigger-2' });
        given([stopped(record())]).when(other).then([stopped(other)]);
      });
    });
  });
});
