import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { crmTopics } from '@projectflo/crm/domain';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { EventConsumer } from '@projectflo/platform/messaging';
import { OrmUnitOfWork, projectEvent, type OrmTx } from '@projectflo/platform/persistence';
import {
  consumerGroup,
  type EventSourcedServiceOptions,
  KAFKA,
  MIKRO_ORM,
  SERVICE_OPTIONS,
  ServiceHost,
} from '@projectflo/platform/service';
import type { Kafka } from 'kafkajs';
import { crmProjections, crmReadModelChecks } from './crm-read-model';

/**
 * Feeds the crm read model from crm's own topics (group `<schema>.read-model`). Each event is
 * applied in the transaction that claims it in the inbox, so redelivery changes nothing; its
 * schema version and published contract are checked first (crmReadModelChecks).
 */
@Injectable()
export class ReadModelConsumer implements OnModuleInit {
  readonly consumer: EventConsumer<{ type: string; data: unknown }, OrmTx>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(MIKRO_ORM) orm: MikroORM,
    @Inject(SERVICE_OPTIONS) options: EventSourcedServiceOptions,
    @Inject(LOGGER) logger: Logger,
    private readonly host: ServiceHost,
  ) {
    this.consumer = new EventConsumer<{ type: string; data: unknown }, OrmTx>({
      kafka,
      groupId: consumerGroup(options, 'read-model'),
      topics: Object.values(crmTopics),
      unitOfWork: new OrmUnitOfWork(orm),
      schema: options.schema,
      logger,
    });
    for (const projection of crmProjections) {
      for (const type of projection.handles) {
        this.consumer.on(
          type,
          async (event, tx) => {
            await projectEvent(tx, projection, event);
          },
          crmReadModelChecks(type),
        );
      }
    }
  }

  onModuleInit(): void {
    this.host.addConsumer(this.consumer);
  }
}
