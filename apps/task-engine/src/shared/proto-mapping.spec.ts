import { tasksV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { protoFieldName } from '@projectflo/platform/grpc';
import { validateTemplateDefinition } from '@projectflo/task-engine/domain';
import { commentVisibility, definitionFromProto, taskStatus, templateToProto } from './proto-mapping';

const base: tasksV1.TaskTemplate = {
  templateId: '',
  key: 'send-contract',
  trigger: { leadStatusId: '3f0c9a52-8d7e-4b61-9f2a-6c1d0e5b7a48' },
  name: 'Send the contract',
  description: '',
  priority: tasksV1.TaskPriority.TASK_PRIORITY_HIGH,
  dueOffset: { days: -14, hours: 9, businessDays: true, anchor: tasksV1.DueAnchor.DUE_ANCHOR_SUBJECT_DATE, anchorField: 'event_date' },
  defaultAssignee: { rule: tasksV1.AssigneeRule.ASSIGNEE_RULE_LEAD_ASSIGNEE },
  phase: '',
  effortHours: '1.5',
  metadata: { channel: 'email' },
  checklistItems: [{ title: 'Fee', itemKey: 'fee' }, { title: 'Terms', itemKey: '' }],
  dependsOn: ['prepare-contract'],
  revision: 0,
  retired: false,
  version: '0',
  parentKey: '',
  allowCompleteWithOpenSubtasks: false,
};

function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.fieldViolations.map((v) => v.field);
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('proto ↔ domain mapping', () => {
  it('reads negative days as "before" a subject date and fills checklist keys by position', () => {
    const definition = validateTemplateDefinition(definitionFromProto(base, 'template.'), 'template.');
    expect(definition.dueOffset).toEqual({ days: 14, hours: 9, businessDays: true, direction: 'before', anchor: { kind: 'subject_date', field: 'event_date' } });
    expect(definition.checklist).toEqual([
      { itemKey: 'fee', title: 'Fee' },
      { itemKey: 'item-2', title: 'Terms' },
    ]);
    expect(definition).toMatchObject({ description: null, phase: null, effortHours: '1.50', defaultAssignee: { kind: 'lead_assignee' }, parentKey: null });
  });

  it('round-trips a template through the API shape', () => {
    const definition = validateTemplateDefinition(definitionFromProto(base, 'template.'), 'template.');
    const proto = templateToProto({ templateId: 't-1', revision: 2, definition, retired: false, version: 3 });
    expect(proto).toMatchObject({ templateId: 't-1', revision: 2, version: '3', effortHours: '1.50' });
    expect(proto.checklistItems[1]).toEqual({ title: 'Terms', itemKey: 'item-2' });
    expect(validateTemplateDefinition(definitionFromProto(proto, 'template.'), 'template.')).toEqual(definition);
  });

  it('rejects what the domain cannot express, naming the proto fields', () => {
    expect(violations(() => definitionFromProto({ ...base, trigger: {} }, 'template.'))).toEqual(['template.trigger']);
    expect(violations(() => definitionFromProto(undefined, 'template.'))).toEqual(['template']);
  });

  it('lets the domain name a negative offset from the trigger time, which the edge reports under its proto name', () => {
    const fromTrigger = { ...base, dueOffset: { ...base.dueOffset!, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME } };
    const fields = violations(() => validateTemplateDefinition(definitionFromProto(fromTrigger, 'template.'), 'template.'));
    expect(fields).toEqual(['template.dueOffset.direction']);
    expect(fields.map(protoFieldName)).toEqual(['template.due_offset.direction']);
  });

  it('rejects at the edge what the contract bounds: hours, days, enums, lists, maps', () => {
    const bad = {
      ...base,
      priority: 9 as unknown as tasksV1.TaskPriority,
      dueOffset: { ...base.dueOffset!, hours: -1, days: 3651 },
      dependsOn: Array.from({ length: 51 }, (_, i) => `k-${i}`),
      metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`m${i}`, 'v'])),
    };
    expect(violations(() => definitionFromProto(bad, 'template.')).sort()).toEqual([
      'template.depends_on',
      'template.due_offset.days',
      'template.due_offset.hours',
      'template.metadata',
      'template.priority',
    ]);
  });

  it('maps statuses and visibilities both ways, refusing unknown and unset statuses', () => {
    expect(taskStatus.required.parse(tasksV1.TaskStatus.TASK_STATUS_READY_TO_START)).toBe('Ready to Start');
    expect(taskStatus.required.safeParse(tasksV1.TaskStatus.TASK_STATUS_UNSPECIFIED).success).toBe(false);
    expect(taskStatus.required.safeParse('TASK_STATUS_BOGUS').success).toBe(false);
    expect(taskStatus.toProto('Archived')).toBe(tasksV1.TaskStatus.TASK_STATUS_ARCHIVED);
    expect(taskStatus.toProto('')).toBe(tasksV1.TaskStatus.TASK_STATUS_UNSPECIFIED);
    expect(commentVisibility.optional.parse(tasksV1.CommentVisibility.COMMENT_VISIBILITY_UNSPECIFIED)).toBeUndefined();
    expect(commentVisibility.optional.parse(tasksV1.CommentVisibility.COMMENT_VISIBILITY_CLIENT_VISIBLE)).toBe('ClientVisible');
    expect(commentVisibility.toProto('Internal')).toBe(tasksV1.CommentVisibility.COMMENT_VISIBILITY_INTERNAL);
  });
});
