import { ApplicationFailure } from '@temporalio/common';
import { automationMetadata, type Clock } from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import { CommandExecutor } from '@projectflo/platform/service';
import {
  buildComponentTriggerEventId,
  plannedTaskId,
  TaskEngineStreams,
  taskTemplateDecider,
  taskTemplateId,
  type TaskTemplateDefinition,
  type TemplateTrigger,
} from '@projectflo/task-engine/domain';
import { createBuildExpansionActivities } from './build-expansion.activities';
import type { BuildExpansionInput } from './build-expansion.types';

// The planning activity against an in-memory event store: templates at their active versions read
// from their own streams, a retired one left out with a warning, a cycle a permanent failure.

const TENANT = 'tenant-a';
const TRIGGER: TemplateTrigger = { kind: 'event_type', eventTypeKey: 'production.edit' };
const now = new Date('2026-12-01T10:00:00.000Z');
const clock: Clock = { now: () => now };

const definition = (key: string, overrides: Partial<TaskTemplateDefinition> = {}): TaskTemplateDefinition => ({
  key,
  trigger: TRIGGER,
  name: `Task ${key}`,
  description: null,
  priority: 'High',
  dueOffset: { days: 14, hours: 9, businessDays: false, direction: 'after', anchor: { kind: 'subject_date', field: 'event_date' } },
  defaultAssignee: { kind: 'none' },
  phase: null,
  effortHours: '4.00',
  metadata: {},
  checklist: [],
  parentKey: null,
  dependsOn: [],
  allowCompleteWithOpenSubtasks: false,
  ...overrides,
});

async function setUp(definitions: TaskTemplateDefinition[], retire: string[] = []) {
  const executor = new CommandExecutor(new InMemoryEventStore({ clock }), clock);
  const ids: Record<string, string> = {};
  for (const d of definitions) {
    const templateId = taskTemplateId(TENANT, d.trigger, d.key);
    ids[d.key] = templateId;
    const metadata = automationMetadata({ service: 'task-engine', tenantId: TENANT, requestId: `create-${d.key}`, now });
    await executor.run(taskTemplateDecider, TaskEngineStreams.taskTemplate(templateId), { type: 'CreateTaskTemplate', data: { templateId, definition: d } }, { metadata });
    if (retire.includes(d.key)) {
      await executor.run(
        taskTemplateDecider,
        TaskEngineStreams.taskTemplate(templateId),
        { type: 'RetireTaskTemplate', data: { templateId, reason: null } },
        { metadata: { ...metadata, requestId: `retire-${d.key}` } },
      );
    }
  }
  return { activities: createBuildExpansionActivities({ executor }), ids };
}

const component = { componentId: 'c-1', deliverableId: 'film', deliverableName: 'Film', sceneId: 'ceremony', sceneName: 'Ceremony', editingStyleId: 'cinematic', editingStyleName: 'Cinematic', targetMinutes: 5 };
const input = (templateIds: string[]): BuildExpansionInput => ({
  tenantId: TENANT,
  build: { tenantId: TENANT, buildId: 'build-1', version: 1, eventDate: '2027-06-12', bookedAt: now.toISOString() },
  components: [component, { ...component, componentId: 'c-unmatched' }],
  matches: [{ componentId: 'c-1', recipeId: 'recipe-1', recipeRevision: 1, templateIds }],
  automationDepth: 0,
});

describe('build expansion planning activity', () => {
  it('plans the matched components with their templates’ active versions, leaving a retired one out with a warning', async () => {
    const { activities, ids } = await setUp([definition('edit'), definition('review', { dependsOn: ['edit'] }), definition('old')], ['old']);
    const plan = await activities.planBuildExpansion(input([ids['edit']!, ids['review']!, ids['old']!]));
    const trigger = buildComponentTriggerEventId(TENANT, 'build-1', 'c-1');
    expect(plan.templateCount).toBe(2);
    expect(plan.tasks.map((t) => [t.taskId, t.dueAt, t.blockedBy.length])).toEqual([
      [plannedTaskId(TENANT, trigger, ids['edit']!), '2027-06-26T09:00:00.000Z', 0],
      [plannedTaskId(TENANT, trigger, ids['review']!), '2027-06-26T09:00:00.000Z', 1],
    ]);
    expect(plan.warnings).toEqual([{ code: 'template_not_active', componentId: 'c-1', templateId: ids['old'] }]);
  });

  it('fails for good on templates that cannot be planned (a dependency cycle)', async () => {
    const { activities, ids } = await setUp([definition('a', { dependsOn: ['b'] }), definition('b', { dependsOn: ['a'] })]);
    const failure = await activities.planBuildExpansion(input([ids['a']!, ids['b']!])).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'DomainError', nonRetryable: true });
  });
});
