import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import type { RecordExpansionOutcome } from './expansion-outcome.commands';
import { expansionOutcomeDecider, MAX_EXPANSION_TASKS } from './expansion-outcome.decider';
import type { ExpansionFinished } from './expansion-outcome.events';

const { given } = deciderSpecification(expansionOutcomeDecider);

const record = (data: Partial<RecordExpansionOutcome['data']> = {}): RecordExpansionOutcome => ({
  type: 'RecordExpansionOutcome',
  data: {
    triggerEventId: 'trigger-1',
    trigger: { kind: 'lead_status', statusId: 'status-booked' },
    subjectId: 'lead-1',
    outcome: 'completed',
    templateCount: 2,
    taskIds: ['task-a', 'task-b'],
    created: 1,
    alreadyExisted: 1,
    warnings: [{ code: 'lead_assignee_missing', templateKey: 'send-welcome-pack' }],
    message: 'expanded 2 of 2 tasks (1 created, 1 already existed, 1 warnings)',
    ...data,
  },
  metadata: meta({ automationDepth: 0 }),
});

const finished = (command: RecordExpansionOutcome): ExpansionFinished => ({
  type: 'ExpansionFinished',
  data: { tenantId: TENANT, ...command.data, finishedBy: ACTOR, finishedAt: NOW_ISO },
});

describe('expansion outcome', () => {
  it('records how an expansion ended, with its tasks and warnings', () => {
    given([]).when(record()).then([finished(record())]);
  });

  it('records a stop by the loop guard (no tasks, no templates)', () => {
    const stop = record({ outcome: 'stopped', templateCount: 0, taskIds: [], created: 0, alreadyExisted: 0, warnings: [], message: 'stopped by the loop guard (max_depth): depth 3' });
    given([]).when(stop).then([finished(stop)]);
  });

  it('records nothing a second time: a retried activity or a re-run of the same trigger', () => {
    given([finished(record())]).when(record({ created: 0, alreadyExisted: 2 })).then([]);
  });

  it('names every malformed field at once', () => {
    given([])
      .when(
        record({
          triggerEventId: 'has space',
          subjectId: '',
          outcome: 'exploded' as 'completed',
          templateCount: -1,
          created: 1.5,
          taskIds: Array.from({ length: MAX_EXPANSION_TASKS + 1 }, (_, i) => `t-${i}`),
          message: '',
        }),
      )
      .thenThrows(DomainErrorCode.InvalidArgument, ['triggerEventId', 'subjectId', 'outcome', 'templateCount', 'created', 'taskIds', 'message']);
  });
});
