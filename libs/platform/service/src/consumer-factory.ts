/*
 * Usage — the one way a service creates a Kafka consumer; the factory names its group after the
 * service instance, gives it the service's inbox and ORM, and registers it with the ServiceHost
 * (started after the whole app is built, stopped on SIGTERM):
 *
 *   // domain events (CloudEvents, inbox-deduplicated, each handler in one ORM transaction)
 *   consumers.events<LeadEvent>('lead-automation', [crmTopics.lead])
 *     .on('LeadStatusChanged', (event, tx) => ..., contractChecks(crmEventContractsV1, 'LeadStatusChanged'));
 *
 *   // raw messages (plain JSON from outside ProjectFlo): the same engine, retries and dead letters
 *   consumers.messages('inbound-external-events', [INBOUND_TOPIC], (message) => this.ingest(message.value));
 *
 * Register handlers in the provider's constructor (before the host starts the consumers).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type Clock, CLOCK, type DomainEvent } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { EventConsumer, MessageConsumer, type MessageProcessor, type TopicSelector } from '@projectflo/platform/messaging';
import { type OrmTx, OrmUnitOfWork } from '@projectflo/platform/persistence';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import type { Kafka } from 'kafkajs';
import { ServiceHost } from './service-host';
import { consumerGroup, type EventSourcedServiceOptions } from './service-options';
import { KAFKA, MIKRO_ORM, SERVICE_OPTIONS } from './tokens';

export interface EventConsumerSettings {
  /** Dead-letter events of types that have no handler, instead of ignoring them. */
  readonly strict?: boolean;
  /**
   * Its handlers write rows that queries (or the gRPC gate) read: a call that sends a consistency
   * token waits until this group has the token's events (consistency-wait.ts). Automations
   * (consumers that issue commands or start workflows) are not waited for.
   */
  readonly readModel?: boolean;
}

/** Creates this service's consumers (group `<schema>.<purpose>`) and registers them with its host. */
@Injectable()
export class ConsumerFactory {
  /** The read-model consumers created (settings.readModel), which consistency tokens wait for (consistency-wait.ts). */
  readonly readModels: EventConsumer<DomainEvent, OrmTx>[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly host: ServiceHost,
  ) {}

  /** Domain events from topics (own or another context's): inbox claim and handler in one ORM transaction per event. */
  events<E extends DomainEvent>(purpose: string, topics: readonly string[], settings: EventConsumerSettings = {}): EventConsumer<E, OrmTx> {
    const consumer = new EventConsumer<E, OrmTx>({
      ...this.common(purpose, topics),
      unitOfWork: new OrmUnitOfWork(this.orm, CROSS_TENANT),
      schema: this.options.schema,
      ...(settings.strict !== undefined ? { strict: settings.strict } : {}),
    });
    this.host.addConsumer(consumer);
    if (settings.readModel) this.readModels.push(consumer as unknown as EventConsumer<DomainEvent, OrmTx>);
    return consumer;
  }

  /**
   * Raw messages without the CloudEvents envelope or inbox: `process` makes its own effect
   * idempotent, throws PoisonMessageError for what can never be handled (dead-lettered at once).
   */
  messages(purpose: string, topics: readonly TopicSelector[], process: MessageProcessor): MessageConsumer {
    const consumer = new MessageConsumer(this.common(purpose, topics), process);
    this.host.addConsumer(consumer);
    return consumer;
  }

  private common<T extends TopicSelector>(purpose: string, topics: readonly T[]) {
    assertDeclared(this.options, purpose, topics);
    return { kafka: this.kafka, groupId: consumerGroup(this.options, purpose), topics, logger: this.logger, clock: this.clock };
  }
}

/**
 * A consumer reads only what its service declares in `consumes`: the service's Kafka user is
 * granted exactly that (serviceAcls), so an undeclared consumer would fail on the broker anyway.
 */
export function assertDeclared(options: Pick<EventSourcedServiceOptions, 'service' | 'consumes'>, purpose: string, topics: readonly TopicSelector[]): void {
  const declared = options.consumes?.[purpose]?.map((t) => JSON.stringify(t)) ?? [];
  const undeclared = topics.filter((t) => !declared.includes(JSON.stringify(t)));
  if (!options.consumes?.[purpose] || undeclared.length > 0) {
    throw new Error(
      `${options.service}: consumer '${purpose}' reads ${JSON.stringify(undeclared.length > 0 ? undeclared : topics)}, which its service options do not declare in consumes['${purpose}']`,
    );
  }
}
