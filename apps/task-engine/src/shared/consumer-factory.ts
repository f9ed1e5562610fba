import type { MikroORM } from '@mikro-orm/postgresql';
import { contractChecks, tasksEventContractsV1 } from '@projectflo/contracts';
import type { DomainEvent } from '@projectflo/platform/core';
import type { Logger } from '@projectflo/platform/logging';
import { type EventChecks, EventConsumer } from '@projectflo/platform/messaging';
import { type OrmTx, OrmUnitOfWork } from '@projectflo/platform/persistence';
import { consumerGroup, type EventSourcedServiceOptions } from '@projectflo/platform/service';
import type { TaskEngineEventName } from '@projectflo/task-engine/domain';
import type { Kafka } from 'kafkajs';

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

/**
 * What a consumer of the task-engine's own topics checks before its handler runs: the schema
 * version and the payload of the event type's published contract (libs/contracts, the tasks
 * topics). A mismatch is dead-lettered; a handled type without a contract fails at registration.
 */
export function taskEngineEventChecks(type: TaskEngineEventName): EventChecks {
  return contractChecks(tasksEventContractsV1, type);
}
