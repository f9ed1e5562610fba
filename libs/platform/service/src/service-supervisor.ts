import { Inject, Injectable } from '@nestjs/common';
import { GrpcHealth } from '@projectflo/platform/grpc';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import type { Consumer, Kafka } from 'kafkajs';
import { isBrokerAuthenticationFailure } from '@projectflo/platform/messaging';

/** What the process does once a part of it stopped for good (see ServiceSupervisor). */
export type TerminateProcess = () => void;

/** Injection token of the TerminateProcess action; in-process tests replace it. */
export const TERMINATE_PROCESS = Symbol('projectflo.TerminateProcess');

/** How long the graceful shutdown after a fatal failure may take before the process exits anyway. */
const FATAL_SHUTDOWN_GRACE_MS = 30_000;

/**
 * The default TerminateProcess: the same graceful shutdown as a SIGTERM from outside (the worker
 * drains, consumers finish the message in hand, the relay its batch), but the process exits 1, so
 * a supervisor (systemd, Kubernetes, platform.sh) sees a failure and restarts it. If the shutdown
 * hangs, the process exits 1 after a grace period anyway.
 */
export const exitAfterGracefulShutdown: TerminateProcess = () => {
  // Nest ends its shutdown with process.exit(0); the exit code decided here wins.
  process.on('exit', () => {
    process.exitCode = 1;
  });
  setTimeout(() => process.exit(1), FATAL_SHUTDOWN_GRACE_MS).unref();
  process.kill(process.pid, 'SIGTERM');
};

/**
 * Watches the parts of a service that run in the background for its whole life (the Temporal
 * worker, the Kafka consumers). A service with a dead part must not look healthy: `fail` turns
 * the gRPC health NOT_SERVING at once, logs which part died and why, and terminates the process
 * non-zero so that its supervisor restarts it, instead of leaving a process that answers health
 * checks but no longer runs workflows or consumes.
 */
@Injectable()
export class ServiceSupervisor {
  private failure: string | undefined;

  constructor(
    private readonly health: GrpcHealth,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(TERMINATE_PROCESS) private readonly terminate: TerminateProcess,
  ) {}

  /** The part that failed first, once one has. */
  get failedPart(): string | undefined {
    return this.failure;
  }

  /** `part` (e.g. "temporal worker") stopped for good: NOT_SERVING, a log line, and the process exits non-zero. */
  fail(part: string, error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = part;
    this.health.notServing();
    this.logger.error('a part of the service stopped for good; NOT_SERVING, exiting so that the supervisor restarts it', {
      part,
      err: error,
    });
    this.terminate();
  }

  /**
   * The same client, whose consumers report here when kafkajs gives up on them (a crash it does
   * not restart from): such a consumer group member has left for good.
   */
  superviseConsumers(kafka: Kafka): Kafka {
    return {
      producer: (config) => kafka.producer(config),
      admin: (config) => kafka.admin(config),
      logger: () => kafka.logger(),
      consumer: (config) => {
        const consumer: Consumer = kafka.consumer(config);
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          // A refused login is retried by the consumer itself (MessageConsumer subscribes again).
          if (!payload.restart && !isBrokerAuthenticationFailure(payload.error)) this.fail(`kafka consumer ${payload.groupId}`, payload.error);
        });
        return consumer;
      },
    };
  }
}
