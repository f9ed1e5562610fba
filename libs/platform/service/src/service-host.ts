import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { type EventConsumer, EventRelay, createRelayProducer, ensureTopics, publishedTopics, withAdmin } from '@projectflo/platform/messaging';
import { OWN_WORKFLOW_THREAD, type RunningWorker, type TemporalClientHandle, createNativeConnection, createWorker, runWorker } from '@projectflo/platform/workflow';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { DefaultLogger, type LogLevel, type NativeConnection, Runtime } from '@temporalio/worker';
import { DIAGNOSTICS_WORKFLOWS_PATH, createDiagnosticsActivities } from './diagnostics.activities';
import type { EventSourcedServiceOptions } from './service-options';
import { ServiceSupervisor } from './service-supervisor';
import { retryStartupStep, temporalStartupRetry } from './startup-retry';
import { EVENT_STORE, KAFKA, MIKRO_ORM, PG_POOL, SERVICE_OPTIONS, TEMPORAL } from './tokens';

/** Retention of every event topic a service publishes: forever (retention.ms -1). */
const EVENT_TOPIC_CONFIG = [{ name: 'retention.ms', value: '-1' }];

/** What the host needs of a consumer: EventConsumer of any event union fits. */
export type ManagedConsumer = Pick<EventConsumer, 'start' | 'stop' | 'groupId'>;

/**
 * Starts and stops the moving parts of one service in a fixed order. Feature modules register
 * their consumers and activities while modules initialise; everything starts once the whole
 * application is built, and on SIGTERM stops in reverse: the worker drains its activities, the
 * consumers finish the message in hand, the relay publishes the batch in hand, then connections
 * close. Each start-up step that needs infrastructure waits for it (retryStartupStep), and once
 * running, a worker that dies makes the service NOT_SERVING and exit (ServiceSupervisor).
 */
@Injectable()
export class ServiceHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly consumers: ManagedConsumer[] = [];
  private activities: object | undefined;
  private relay: EventRelay | undefined;
  private worker: RunningWorker | undefined;
  private nativeConnection: NativeConnection | undefined;

  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TEMPORAL) private readonly temporal: TemporalClientHandle,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly supervisor: ServiceSupervisor,
  ) {}

  /** Registers a consumer to start with the service (call from a provider's onModuleInit). */
  addConsumer(consumer: ManagedConsumer): void {
    this.consumers.push(consumer);
  }

  /** The activity implementations the service's Temporal worker runs. */
  setActivities(activities: object): void {
    if (this.activities) throw new Error('activities were already registered');
    this.activities = activities;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { service, schema, topics, extraTopics = [] } = this.options;
    const eventTopics = [...new Set(publishedTopics(topics))];
    const otherTopics = [...new Set(extraTopics)].filter((topic) => !eventTopics.includes(topic));
    await retryStartupStep(
      'Kafka topics and their leaders',
      () =>
        withAdmin(this.kafka, async (admin) => {
          // An event topic is the service's published history: other services rebuild what they
          // learn from it (the task-engine's user directory, subject facts) by reading it from the
          // start, so it is kept for good rather than for the broker's default 7 days.
          await ensureTopics(admin, eventTopics, { configEntries: EVENT_TOPIC_CONFIG });
          await ensureTopics(admin, otherTopics);
        }),
      this.logger,
    );
    const relay = new EventRelay({
      name: service,
      service,
      store: this.store,
      producer: () => createRelayProducer(this.kafka),
      topics,
      pool: this.pool,
      schema,
      logger: this.logger,
    });
    await retryStartupStep('Postgres (relay checkpoint)', () => relay.start(), this.logger);
    this.relay = relay;
    // Together: each consumer's start is a few broker round trips (its dead-letter topic, its
    // producer, its group join), and the worker's its Temporal connection and registration; one
    // after another they made up most of a service's start (8 consumers: ~3 s).
    await Promise.all([...this.consumers.map((consumer) => consumer.start()), this.startWorker()]);
    this.logger.info('service running', { service, consumers: this.consumers.length, worker: this.options.worker?.taskQueue });
  }

  /** The service's Temporal worker, when it has one; once running, a crash of it fails the service (ServiceSupervisor). */
  private async startWorker(): Promise<void> {
    if (!this.options.worker) return;
    const { taskQueue, workflowsPath = DIAGNOSTICS_WORKFLOWS_PATH, ownWorkflowThread = false } = this.options.worker;
    installTemporalLogger(this.logger);
    const connection = await createNativeConnection({ address: this.temporal.connection.options.address }, temporalStartupRetry(this.logger, 'worker'));
    this.nativeConnection = connection;
    const worker = await retryStartupStep('Temporal (worker registration)', () =>
      createWorker({
        connection,
        namespace: this.temporal.client.options.namespace,
        payloadKeys: this.temporal.payloadKeys,
        taskQueue,
        workflowsPath,
        ...(ownWorkflowThread ? { workerOptions: OWN_WORKFLOW_THREAD } : {}),
        // Every worker also answers serviceDiagnosticsWorkflow (see diagnostics.workflows.ts).
        activities: {
          ...createDiagnosticsActivities({ service: this.options.service, pool: this.pool, store: this.store, host: this }),
          ...this.activities,
        },
      }),
    this.logger);
    this.worker = runWorker(worker);
    this.worker.done.catch((error: unknown) => this.supervisor.fail('temporal worker', error));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.relay?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nativeConnection?.close();
    await this.temporal.close();
    await this.orm.close();
    await this.store.close();
    await this.pool.end();
  }

  /** Relay and consumer figures for diagnostics and tests. */
  status(): { relay: ReturnType<EventRelay['metrics']> | undefined; consumers: { groupId: string }[] } {
    return { relay: this.relay?.metrics(), consumers: this.consumers.map((c) => ({ groupId: c.groupId })) };
  }
}

/**
 * Temporal's worker runtime logs through the service's JSON logger (once per process; a second
 * service in the same process, as in tests, keeps the first one's runtime).
 */
function installTemporalLogger(logger: Logger): void {
  const write: Record<LogLevel, (message: string, fields?: Record<string, unknown>) => void> = {
    TRACE: (m, f) => logger.debug(m, f),
    DEBUG: (m, f) => logger.debug(m, f),
    INFO: (m, f) => logger.info(m, f),
    WARN: (m, f) => logger.warn(m, f),
    ERROR: (m, f) => logger.error(m, f),
  };
  try {
    // No shutdownSignals: the ServiceHost stops the worker itself, in order, on SIGTERM; a worker
    // the runtime stopped on its own would look like a dead one.
    Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('INFO', (entry) => write[entry.level](`temporal: ${entry.message}`, entry.meta)) });
  } catch {
    // Already installed in this process.
  }
}
