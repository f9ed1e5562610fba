import { resolveTopic } from '@projectflo/platform/messaging';
import { TaskEngineStreams } from '@projectflo/task-engine/domain';
import { TASK_ENGINE_SERVICE_OPTIONS } from './task-engine.service-options';

const UUID = '0b6f9c1e-7d8a-5f3b-9e2c-4a1d6b8c0e3f';

describe('what the task-engine relay publishes', () => {
  const topicOf = (stream: string) => resolveTopic(stream, TASK_ENGINE_SERVICE_OPTIONS.topics);

  it.each([UUID, 'tenant-a', 'acme'])('routes the per-tenant streams of tenant %s', (tenantId) => {
    expect(topicOf(TaskEngineStreams.eventTypes(tenantId))).toBe('tasks.event-type.v1');
    expect(topicOf(TaskEngineStreams.automationGuard(tenantId))).toBe('tasks.automation-guard.v1');
    expect(topicOf(TaskEngineStreams.businessCalendar(tenantId))).toBe('tasks.business-calendar.v1');
  });

  it('routes the per-aggregate streams, telling task-template from task', () => {
    expect(topicOf(TaskEngineStreams.task(UUID))).toBe('tasks.task.v1');
    expect(topicOf(TaskEngineStreams.taskTemplate(UUID))).toBe('tasks.task-template.v1');
    expect(topicOf(TaskEngineStreams.externalEvent(UUID))).toBe('tasks.external-event.v1');
  });
});
