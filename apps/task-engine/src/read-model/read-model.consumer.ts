import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { projectEvent } from '@projectflo/platform/persistence';
import { type EventSourcedServiceOptions, KAFKA, MIKRO_ORM, SERVICE_OPTIONS, ServiceHost } from '@projectflo/platform/service';
import { TASK_ENGINE_TOPICS, type TaskEngineEvent, type TaskEngineEventName } from '@projectflo/task-engine/domain';
import type { Kafka } from 'kafkajs';
import { createOrmConsumer, taskEngineEventChecks } from '../shared/consumer-factory';
import { taskEngineReadModelProjection } from './read-model.projection';

/** Group `read-model`: projects the service's own topics into the query tables. */
@Injectable()
export class ReadModelConsumer implements OnModuleInit {
  constructor(
    private readonly host: ServiceHost,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const topics = [TASK_ENGINE_TOPICS.eventTypes, TASK_ENGINE_TOPICS.taskTemplate, TASK_ENGINE_TOPICS.task];
    const consumer = createOrmConsumer<TaskEngineEvent>({ kafka: this.kafka, orm: this.orm, options: this.options, logger: this.logger }, 'read-model', topics);
    for (const type of taskEngineReadModelProjection.handles) {
      consumer.on(
        type as TaskEngineEventName,
        async (event, tx) => {
          await projectEvent(tx, taskEngineReadModelProjection, event);
        },
        taskEngineEventChecks(type as TaskEngineEventName),
      );
    }
    this.host.addConsumer(consumer);
  }
}
