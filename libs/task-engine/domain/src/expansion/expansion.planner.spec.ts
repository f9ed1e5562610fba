import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { meta, TENANT } from '../shared/command-metadata.fixtures';
import { evolveTask, initialTaskState, taskDecider } from '../task/task.decider';
import type { TaskCreated } from '../task/task.events';
import type { DueOffset, TaskTemplateDefinition } from '../task-template/task-template.definition';
import { BOOKED, templateVersion } from '../task-template/task-template.fixtures';
import type { BusinessCalendar } from './business-calendar';
import { planExpansion, plannedTaskId, type ExpansionTrigger, type PlanExpansionInput, type PlannedTask } from './expansion.planner';

/** Berlin, Monday to Friday, with German Unity Day (Friday 3 October 2025) off. */
const BERLIN: BusinessCalendar = { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], holidays: ['2025-10-03'] };

/** Thursday 2 October 2025, 15:00 in Berlin. */
const TRIGGER: ExpansionTrigger = {
  ...BOOKED,
  triggerEventId: 'lead-status-changed-1',
  occurredAt: '2025-10-02T15:00:00+02:00',
  subjectId: 'lead-1',
  subject: { assigneeId: 'user-anna', dates: { event_date: '2025-09-20' } },
};

const offset = (o: Partial<DueOffset>): DueOffset => ({
  days: 0,
  hours: 0,
  businessDays: false,
  direction: 'after',
  anchor: { kind: 'trigger_time' },
  ...o,
});

function plan(defs: Partial<TaskTemplateDefinition>[], overrides: Partial<PlanExpansionInput> = {}) {
  return planExpansion({ tenantId: TENANT, trigger: TRIGGER, templates: defs.map((d) => templateVersion(d)), calendar: BERLIN, ...overrides });
}

function single(def: Partial<TaskTemplateDefinition>, trigger: Partial<ExpansionTrigger> = {}): PlannedTask {
  const { tasks } = plan([def], { trigger: { ...TRIGGER, ...trigger } as ExpansionTrigger });
  expect(tasks).toHaveLength(1);
  return tasks[0]!;
}

const dueOf = (o: Partial<DueOffset>, trigger: Partial<ExpansionTrigger> = {}) => single({ dueOffset: offset(o) }, trigger).dueAt;
const taskIdFor = (key: string, triggerEventId = TRIGGER.triggerEventId) =>
  plannedTaskId(TENANT, triggerEventId, templateVersion({ key }).templateId);

function invalid(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.code === DomainErrorCode.InvalidArgument) return error;
    throw error;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('expansion planner', () => {
  describe('when due dates count from the trigger time', () => {
    it('adds calendar days across a weekend and a holiday, in the tenant timezone', () => {
      expect(dueOf({ days: 2 })).toBe('2025-10-04T13:00:00.000Z'); // Saturday 15:00 Berlin
    });

    it('adds business days, skipping the holiday and the weekend', () => {
      expect(dueOf({ days: 1, businessDays: true })).toBe('2025-10-06T13:00:00.000Z'); // Monday 15:00 Berlin
      expect(dueOf({ days: 2, businessDays: true })).toBe('2025-10-07T13:00:00.000Z'); // Tuesday
    });

    it('adds hours after the days', () => {
      expect(dueOf({ days: 1, hours: 3 })).toBe('2025-10-03T16:00:00.000Z');
    });

    it('decides what a day is in the tenant timezone, not in UTC', () => {
      // 23:30 UTC on Thursday is 01:30 on the Friday holiday in Berlin: zero business days rolls to Monday.
      expect(dueOf({ days: 0, businessDays: true }, { occurredAt: '2025-10-02T23:30:00Z' })).toBe('2025-10-05T23:30:00.000Z');
      expect(dueOf({ days: 0, businessDays: true })).toBe('2025-10-02T13:00:00.000Z');
    });

    it('keeps the wall-clock time across the end of daylight saving time', () => {
      // Friday 24 October 09:00 CEST + 1 business day = Monday 27 October 09:00 CET.
      expect(dueOf({ days: 1, businessDays: true }, { occurredAt: '2025-10-24T07:00:00Z' })).toBe('2025-10-27T08:00:00.000Z');
    });
  });

  describe('when due dates count from the lead’s event date', () => {
    const eventDate = { kind: 'subject_date', field: 'event_date' } as const;

    it('counts calendar days before the date, hours giving the time of day', () => {
      const task = single({ dueOffset: offset({ days: 14, hours: 9, direction: 'before', anchor: eventDate }) });
      expect(task.dueAt).toBe('2025-09-06T07:00:00.000Z'); // 6 September 09:00 Berlin
      expect(task.dueDateBasis).toEqual({ kind: 'subject_date', field: 'event_date', date: '2025-09-20' });
    });

    it('counts business days before a Saturday event', () => {
      expect(dueOf({ days: 2, hours: 17, businessDays: true, direction: 'before', anchor: eventDate })).toBe('2025-09-18T15:00:00.000Z');
    });

    it('counts days after the date', () => {
      expect(dueOf({ days: 30, direction: 'after', anchor: eventDate })).toBe('2025-10-19T22:00:00.000Z'); // 20 Oct 00:00 Berlin
    });

    it('falls back to the trigger time when the lead has no event date, and says so', () => {
      const { tasks, warnings } = plan([{ dueOffset: offset({ days: 14, direction: 'before', anchor: eventDate }) }], {
        trigger: { ...TRIGGER, subject: { assigneeId: 'user-anna', dates: {} } },
      });
      expect(tasks[0]!.dueAt).toBe('2025-10-16T13:00:00.000Z');
      expect(tasks[0]!.dueDateBasis).toEqual({ kind: 'fallback_trigger_time', missingField: 'event_date' });
      expect(warnings).toEqual([{ code: 'subject_date_missing', templateKey: 'send-contract', field: 'event_date' }]);
    });
  });

  describe('when resolving assignees', () => {
    it('takes the lead’s assignee', () => {
      expect(single({ defaultAssignee: { kind: 'lead_assignee' } }).assigneeId).toBe('user-anna');
    });

    it('leaves the task unassigned when the lead has none, and says so', () => {
      const { tasks, warnings } = plan([{ defaultAssignee: { kind: 'lead_assignee' } }], {
        trigger: { ...TRIGGER, subject: { dates: {} } },
      });
      expect(tasks[0]!.assigneeId).toBeNull();
      expect(warnings).toEqual([{ code: 'lead_assignee_missing', templateKey: 'send-contract' }]);
    });

    it('takes a named user, or nobody', () => {
      expect(single({ defaultAssignee: { kind: 'user', userId: 'user-ben' } }).assigneeId).toBe('user-ben');
      expect(single({ defaultAssignee: { kind: 'none' } }).assigneeId).toBeNull();
    });
  });

  describe('when templates depend on each other', () => {
    it('makes blocked tasks To-Do and free ones Ready to Start, blockers first', () => {
      const { tasks } = plan([
        { key: 'a-final-call', dependsOn: ['z-contract', 'm-deposit'] },
        { key: 'm-deposit' },
        { key: 'z-contract' },
      ]);
      expect(tasks.map((t) => [t.source.templateKey, t.initialStatus])).toEqual([
        ['m-deposit', 'Ready to Start'],
        ['z-contract', 'Ready to Start'],
        ['a-final-call', 'To-Do'],
      ]);
      expect(tasks[2]!.blockedBy).toEqual([taskIdFor('z-contract'), taskIdFor('m-deposit')]);
    });

    it('rejects a dependency cycle, naming it', () => {
      const error = invalid(() =>
        plan([{ key: 'a', dependsOn: ['b'] }, { key: 'b', dependsOn: ['c'] }, { key: 'c', dependsOn: ['a'] }, { key: 'd' }]),
      );
      expect(error.fieldViolations).toEqual([{ field: 'templates', description: 'dependency cycle: a → b → c → a' }]);
    });

    it('drops a dependency on a template that is not active, and says so', () => {
      const { tasks, warnings } = plan([{ key: 'final-call', dependsOn: ['retired-one'] }]);
      expect(tasks[0]).toMatchObject({ blockedBy: [], initialStatus: 'Ready to Start' });
      expect(warnings).toEqual([{ code: 'unknown_dependency', templateKey: 'final-call', dependsOn: 'retired-one' }]);
    });
  });

  describe('when templates have children', () => {
    it('links each child task to its parent task', () => {
      const { tasks } = plan([
        { key: 'prepare-shoot', allowCompleteWithOpenSubtasks: true },
        { key: 'charge-batteries', parentKey: 'prepare-shoot' },
        { key: 'pack-lenses', parentKey: 'prepare-shoot' },
      ]);
      const byKey = Object.fromEntries(tasks.map((t) => [t.source.templateKey, t]));
      expect(byKey['prepare-shoot']).toMatchObject({ parentTaskId: null, allowCompleteWithOpenSubtasks: true });
      expect(byKey['charge-batteries']!.parentTaskId).toBe(taskIdFor('prepare-shoot'));
      expect(byKey['pack-lenses']!.parentTaskId).toBe(taskIdFor('prepare-shoot'));
    });

    it('rejects a parent cycle', () => {
      const error = invalid(() => plan([{ key: 'a', parentKey: 'b' }, { key: 'b', parentKey: 'a' }]));
      expect(error.fieldViolations[0]!.description).toBe('parent cycle: a → b → a');
    });

    it('makes a child of a missing parent a top-level task, and says so', () => {
      const { tasks, warnings } = plan([{ key: 'pack-lenses', parentKey: 'prepare-shoot' }]);
      expect(tasks[0]!.parentTaskId).toBeNull();
      expect(warnings).toEqual([{ code: 'unknown_parent', templateKey: 'pack-lenses', parentKey: 'prepare-shoot' }]);
    });
  });

  describe('ids', () => {
    const templates = [{ key: 'send-contract' }, { key: 'call-client', dependsOn: ['send-contract'] }];

    it('are the same for the same trigger event, so a redelivery plans the same tasks', () => {
      expect(plan(templates)).toEqual(plan(templates));
      expect(plan(templates).tasks.map((t) => t.taskId)).toEqual([taskIdFor('send-contract'), taskIdFor('call-client')]);
    });

    it('differ for another trigger event or another tenant', () => {
      const first = plan(templates).tasks.map((t) => t.taskId);
      const other = plan(templates, { trigger: { ...TRIGGER, triggerEventId: 'lead-status-changed-2' } }).tasks.map((t) => t.taskId);
      const tenantB = plan(templates, { tenantId: 'tenant-b' }).tasks.map((t) => t.taskId);
      for (const id of first) {
        expect(other).not.toContain(id);
        expect(tenantB).not.toContain(id);
      }
    });
  });

  describe('template versions', () => {
    it('plans from the version it is given, and a task already made from an older version is untouched', () => {
      const v1 = templateVersion({ name: 'Send the contract', effortHours: '0.50' }, 1);
      const v2 = templateVersion({ name: 'Send the signed contract', effortHours: '1.25', priority: 'Critical' }, 2);
      const [fromV1] = planExpansion({ tenantId: TENANT, trigger: TRIGGER, templates: [v1], calendar: BERLIN }).tasks;
      const [fromV2] = planExpansion({ tenantId: TENANT, trigger: TRIGGER, templates: [v2], calendar: BERLIN }).tasks;
      expect(fromV2).toMatchObject({ name: 'Send the signed contract', plannedHours: '1.25', priority: 'Critical' });
      expect(fromV2!.source.templateVersion).toBe(2);

      const made = taskDecider.decide({ type: 'CreateTask', data: fromV1!, metadata: meta() }, initialTaskState());
      const state = made.reduce(evolveTask, initialTaskState());
      expect((made[0] as TaskCreated).data.source.templateVersion).toBe(1);
      // The retried expansion, now seeing version 2, plans the same task id: nothing is rewritten.
      expect(taskDecider.decide({ type: 'CreateTask', data: fromV2!, metadata: meta() }, state)).toEqual([]);
      expect(state.status === 'created' && [state.task.name, state.task.source.templateVersion]).toEqual(['Send the contract', 1]);
    });
  });

  describe('invalid input', () => {
    it('rejects a template of another trigger and duplicate keys', () => {
      expect(invalid(() => plan([{ trigger: { kind: 'event_type', eventTypeKey: 'wedding.booked' } }])).fieldViolations[0]!.field).toBe(
        'templates[0].trigger',
      );
      expect(invalid(() => plan([{ key: 'a' }, { key: 'a' }])).fieldViolations[0]!.field).toBe('templates[1].key');
    });

    it('rejects a bad calendar and a bad trigger time', () => {
      const error = invalid(() => plan([{}], { calendar: { timezone: 'Mars/Olympus', workingDays: [0], holidays: ['2025-13-01'] } }));
      expect(error.fieldViolations.map((v) => v.field)).toEqual(['calendar.timezone', 'calendar.workingDays[0]', 'calendar.holidays[0]']);
      expect(invalid(() => plan([{}], { trigger: { ...TRIGGER, occurredAt: 'yesterday' } })).fieldViolations[0]!.field).toBe('trigger.occurredAt');
    });

    it('normalises a definition read back from elsewhere, and names a broken one', () => {
      expect(single({ effortHours: '1.5' }).plannedHours).toBe('1.50');
      expect(invalid(() => plan([{ name: '' }])).fieldViolations[0]!.field).toBe('templates[0].name');
    });

    it('plans nothing when no template matches', () => {
      expect(plan([]).tasks).toEqual([]);
    });
  });
});
