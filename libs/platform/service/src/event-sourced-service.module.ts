import { type DynamicModule, Module } from '@nestjs/common';
import type { BaseConfig } from '@projectflo/platform/config';
import { type Clock, CLOCK, type EventStore } from '@projectflo/platform/core';
import { connectEventStoreDb, PostgresEventStore, type PostgresTimeouts, createPgPool } from '@projectflo/platform/event-store';
import { AuthGate, SERVICE_CONFIG } from '@projectflo/platform/grpc';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { assertServiceRole, createOrm } from '@projectflo/platform/persistence';
import { TopicNamespace, createKafka } from '@projectflo/platform/messaging';
import { createTemporalClient, payloadKeyringFromEnv } from '@projectflo/platform/workflow';
import { type Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { CommandExecutor } from './command-executor';
import { ConsumerFactory } from './consumer-factory';
import { DEFAULT_CONSISTENCY_WAIT_MS, InboxConsistencyWait } from './consistency-wait';
import { kafkaLogCreator } from './kafka-log';
import { ServiceHost } from './service-host';
import type { EventSourcedServiceOptions } from './service-options';
import { ServiceSupervisor, TERMINATE_PROCESS, exitAfterGracefulShutdown } from './service-supervisor';
import { migrateAtStart, serviceDatabaseUrl } from './service-database';
import { retryStartupStep, temporalStartupRetry } from './startup-retry';
import { EVENT_STORE, KAFKA, MIKRO_ORM, PG_POOL, SERVICE_OPTIONS, TEMPORAL } from './tokens';

/**
 * The infrastructure of one event-sourced service, provided globally: its Postgres pool, event
 * store (PostgreSQL by default, EventStoreDB when EVENTSTORE_URL is set), MikroORM read model
 * (migrated at start by the schema owner, MIGRATION_DATABASE_URL; the pool, store and ORM use the
 * service's own login role, DATABASE_URL, which must be one row-level security binds), Kafka client, Temporal client, the command executor, and the ServiceHost
 * that runs the relay, the consumers and the worker. An app imports it once in its AppModule.
 * Every connection made at start waits for its server (retryStartupStep), so the services can
 * start together with, or before, Postgres, Kafka and Temporal.
 */
@Module({})
export class EventSourcedServiceModule {
  static forRoot(options: EventSourcedServiceOptions): DynamicModule {
    return {
      module: EventSourcedServiceModule,
      global: true,
      providers: [
        {
          provide: SERVICE_OPTIONS,
          inject: [SERVICE_CONFIG],
          useFactory: (config: BaseConfig): EventSourcedServiceOptions => resolveOptions(options, config),
        },
        {
          provide: PG_POOL,
          inject: [SERVICE_CONFIG, LOGGER],
          useFactory: (config: BaseConfig, logger: Logger): Pool =>
            createPgPool(serviceDatabaseUrl(config, options.service), {
              application_name: options.service,
              timeouts: postgresTimeouts(config),
              onIdleClientError: (error) => logger.warn('idle postgres connection lost', { err: error }),
            }),
        },
        {
          provide: EVENT_STORE,
          inject: [SERVICE_CONFIG, SERVICE_OPTIONS, PG_POOL, LOGGER],
          useFactory: async (config: BaseConfig, resolved: EventSourcedServiceOptions, pool: Pool, logger: Logger): Promise<EventStore> => {
            const url = config.EVENTSTORE_URL;
            // The schema owner migrates first; then the service's own role, which must be one RLS binds.
            await migrateAtStart(config, {
              service: options.service,
              schema: resolved.schema,
              postgresEventStore: !url,
              timeouts: postgresTimeouts(config),
              ...(options.migrationsPath ? { migrationsPath: options.migrationsPath } : {}),
            }, logger);
            await retryStartupStep("Postgres (the service's login role)", () => assertServiceRole(pool, resolved.schema), logger);
            if (url) return connectEventStoreDb(url);
            return new PostgresEventStore({ pool, schema: resolved.schema });
          },
        },
        {
          provide: MIKRO_ORM,
          // After the event store, whose factory migrated the schema.
          inject: [SERVICE_CONFIG, SERVICE_OPTIONS, LOGGER, EVENT_STORE],
          useFactory: (config: BaseConfig, resolved: EventSourcedServiceOptions, logger: Logger) =>
            retryStartupStep(
              'Postgres (read model)',
              () =>
                createOrm({
                  url: serviceDatabaseUrl(config, options.service),
                  schema: resolved.schema,
                  entities: [...options.entities],
                  migrationsPath: options.migrationsPath,
                  applicationName: `${options.service}-read-model`,
                  timeouts: postgresTimeouts(config),
                }),
              logger,
            ),
        },
        {
          provide: KAFKA,
          inject: [SERVICE_CONFIG, LOGGER, ServiceSupervisor],
          useFactory: (config: BaseConfig, logger: Logger, supervisor: ServiceSupervisor): Kafka =>
            new TopicNamespace(config.KAFKA_TOPIC_PREFIX ?? '').wrap(
              supervisor.superviseConsumers(
                createKafka(options.service, { logLevel: logLevel.WARN, logCreator: kafkaLogCreator(logger) }, config),
              ),
            ),
        },
        {
          provide: TEMPORAL,
          inject: [SERVICE_CONFIG, LOGGER],
          useFactory: (config: BaseConfig, logger: Logger) =>
            createTemporalClient(
              {
                address: config.TEMPORAL_ADDRESS,
                namespace: config.TEMPORAL_NAMESPACE,
                payloadKeys: payloadKeyringFromEnv(config),
              },
              temporalStartupRetry(logger, 'client'),
            ),
        },
        { provide: TERMINATE_PROCESS, useValue: exitAfterGracefulShutdown },
        ServiceSupervisor,
        CommandExecutor,
        ConsumerFactory,
        {
          // Read-your-writes: the gate holds a call that sends a consistency token until this
          // service's consumers have processed the token's events (consistency-wait.ts).
          provide: InboxConsistencyWait,
          inject: [AuthGate, PG_POOL, SERVICE_OPTIONS, ConsumerFactory, CLOCK, SERVICE_CONFIG],
          useFactory: (gate: AuthGate, pool: Pool, resolved: EventSourcedServiceOptions, consumers: ConsumerFactory, clock: Clock, config: BaseConfig) => {
            const wait = new InboxConsistencyWait({ pool, schema: resolved.schema, consumers, clock, maxWaitMs: config.CONSISTENCY_WAIT_MS ?? DEFAULT_CONSISTENCY_WAIT_MS });
            gate.bindConsistency(wait);
            return wait;
          },
        },
        ServiceHost,
      ],
      exports: [SERVICE_OPTIONS, PG_POOL, EVENT_STORE, MIKRO_ORM, KAFKA, TEMPORAL, CommandExecutor, ConsumerFactory, ServiceSupervisor, ServiceHost],
    };
  }
}

/**
 * Test runs isolate themselves with DB_SCHEMA and TEMPORAL_TASK_QUEUE (and KAFKA_TOPIC_PREFIX, which
 * the Kafka client applies); production uses the defaults.
 */
function resolveOptions(options: EventSourcedServiceOptions, config: BaseConfig): EventSourcedServiceOptions {
  return {
    ...options,
    schema: config.DB_SCHEMA ?? options.schema,
    ...(options.worker ? { worker: { ...options.worker, taskQueue: config.TEMPORAL_TASK_QUEUE ?? options.worker.taskQueue } } : {}),
  };
}

/** The Postgres session timeouts of the service's pool and ORM (defaults: DEFAULT_POSTGRES_TIMEOUTS). */
function postgresTimeouts(config: BaseConfig): Partial<PostgresTimeouts> {
  return {
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    lockTimeoutMs: config.PG_LOCK_TIMEOUT_MS,
  };
}
