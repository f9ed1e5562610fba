import { TENANT } from '../shared/command-metadata.fixtures';
import { taskTemplateId, type TaskTemplateDefinition, type TemplateTrigger, type TemplateVersion } from './task-template.definition';

export const BOOKED: TemplateTrigger = { kind: 'lead_status', statusId: 'status-booked' };

export function definition(overrides: Partial<TaskTemplateDefinition> = {}): TaskTemplateDefinition {
  return {
    key: 'send-contract',
    trigger: BOOKED,
    name: 'Send the contract',
    description: null,
    priority: 'High',
    dueOffset: { days: 2, hours: 0, businessDays: false, direction: 'after', anchor: { kind: 'trigger_time' } },
    defaultAssignee: { kind: 'lead_assignee' },
    phase: 'Booking',
    effortHours: '0.50',
    metadata: {},
    checklist: [],
    parentKey: null,
    dependsOn: [],
    allowCompleteWithOpenSubtasks: false,
    ...overrides,
  };
}

export function templateVersion(overrides: Partial<TaskTemplateDefinition> = {}, version = 1): TemplateVersion {
  const def = definition(overrides);
  return { templateId: taskTemplateId(TENANT, def.trigger, def.key), version, definition: def };
}
