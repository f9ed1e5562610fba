import { Injectable, type OnModuleInit } from '@nestjs/common';
import { projectEvent } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { TASK_ENGINE_TOPICS, type TaskEngineEvent, type TaskEngineEventName } from '@projectflo/task-engine/domain';
import { taskEngineEventChecks } from '../shared/event-checks';
import { taskEngineReadModelProjection } from './read-model.projection';

/** Group `read-model`: projects the service's own topics into the query tables. */
@Injectable()
export class ReadModelConsumer implements OnModuleInit {
  constructor(private readonly consumers: ConsumerFactory) {}

  onModuleInit(): void {
    const topics = [TASK_ENGINE_TOPICS.eventTypes, TASK_ENGINE_TOPICS.taskTemplate, TASK_ENGINE_TOPICS.task];
    const consumer = this.consumers.events<TaskEngineEvent>('read-model', topics, { readModel: true });
    for (const type of taskEngineReadModelProjection.handles) {
      consumer.on(
        type as TaskEngineEventName,
        async (event, tx) => {
          await projectEvent(tx, taskEngineReadModelProjection, event);
        },
        taskEngineEventChecks(type as TaskEngineEventName),
      );
    }
  }
}
