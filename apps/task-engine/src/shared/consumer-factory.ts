import type { MikroORM } from '@mikro-orm/postgresql';
import type { DomainEvent } from '@projectflo/platform/core';
import type { Logger } from '@projectflo/platform/logging';
import { type EventChecks, EventConsumer } from '@projectflo/platform/messaging';
import { type OrmTx, OrmUnitOfWork } from '@projectflo/platform/persistence';
import { consumerGroup, type EventSourcedServiceOptions } from '@projectflo/platform/service';
import { TASK_EVENT_PAYLOAD_SCHEMAS, type TaskEngineEventName } from '@projectflo/task-engine/domain';
import type { Kafka } from 'kafkajs';
import { SCHEMA_VERSIONS } from './task-engine.constants';

export interface ConsumerDeps {
  readonly kafka: Kafka;
  readonly orm: MikroORM;
  readonly options: EventSourcedServiceOptions;
  readonly logger: Logger;
}

/** An inbox-deduplicated consumer of this service instance (group `<schema>.<purpose>`), in ORM transactions. */
export function createOrmConsumer<E extends DomainEvent>(deps: ConsumerDeps, purpose: string, topics: readonly string[]): EventConsumer<E, OrmTx> {
  return new EventConsumer<E, OrmTx>({
    kafka: deps.kafka,
    groupId: consumerGroup(deps.options, purpose),
    topics,
    unitOfWork: new OrmUnitOfWork(deps.orm),
    schema: deps.options.schema,
    logger: deps.logger,
  });
}

const publishedContracts: Readonly<Partial<Record<string, EventChecks['contract']>>> = TASK_EVENT_PAYLOAD_SCHEMAS;

/**
 * What a consumer of the task-engine's own topics checks before its handler runs: the schema
 * version the event was recorded with and, for the task events published to other services, the
 * payload against the published contract (TASK_EVENT_PAYLOAD_SCHEMAS). A mismatch is dead-lettered.
 */
export function taskEngineEventChecks(type: TaskEngineEventName): EventChecks {
  return { schemaVersions: [SCHEMA_VERSIONS[type] ?? 1], contract: publishedContracts[type] };
}
