import type { MikroORM } from '@mikro-orm/postgresql';
import type { DomainEvent } from '@projectflo/platform/core';
import type { Logger } from '@projectflo/platform/logging';
import { EventConsumer } from '@projectflo/platform/messaging';
import { type OrmTx, OrmUnitOfWork } from '@projectflo/platform/persistence';
import { consumerGroup, type EventSourcedServiceOptions } from '@projectflo/platform/service';
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
