import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ledgerDecider, LedgerStreams } from '@projectflo/build-ledger/domain';
import { contractChecks, ledgerBuildEventsV1 } from '@projectflo/contracts';
import { automationMetadata, type Clock, CLOCK, deriveId, isRejection } from '@projectflo/platform/core';
import { type EventEnvelope, PoisonMessageError } from '@projectflo/platform/messaging';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { BUILD_FACTS, type BuildFactsSource } from './build-facts.reader';

/** The consumer purpose (group `<schema>.payment-schedules`) that replans schedules when a build moves. */
export const PAYMENT_SCHEDULES_PURPOSE = 'payment-schedules';

/** Build events that can move a schedule's due dates (booking, event date) or its total (approval, change orders). */
export const SCHEDULE_MOVING_EVENTS = ['BuildBooked', 'BuildDetailsChanged', 'BuildApproved', 'ChangeOrderApproved'] as const;

type BuildEvent = { readonly type: string; readonly data: { readonly tenantId: string; readonly buildId: string } };

/** The request id of one replan: one per build event, so a redelivery is a no-op. */
export const replanRequestId = (buildEventId: string): string => deriveId('replan-payment-schedule', buildEventId);

/**
 * Group `payment-schedules` on ledger.build.v1: when a build is booked, its event date changes, or
 * its approved total moves, ReplanPaymentSchedule runs on the build's ledger — due dates follow the
 * booking and event dates, parts not yet invoiced take the new total. Decided from the build's and
 * the ledger's streams, never a read model; a build without a schedule is left alone.
 */
@Injectable()
export class PaymentScheduleConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    @Inject(BUILD_FACTS) private readonly builds: BuildFactsSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const consumer = this.consumers.events<BuildEvent>(PAYMENT_SCHEDULES_PURPOSE, [ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1]);
    for (const type of SCHEDULE_MOVING_EVENTS) consumer.on(type, (event) => this.replan(event), contractChecks(ledgerBuildEventsV1.ledgerBuildEventContractsV1, type));
  }

  private async replan(event: EventEnvelope<BuildEvent>): Promise<void> {
    const { tenantId, buildId } = event.data;
    const stream = LedgerStreams.ledger(buildId);
    const ledger = await this.executor.load(ledgerDecider, stream, tenantId);
    if (!ledger.state.schedule) return;
    const build = await this.builds.of(tenantId, buildId);
    if (!build.approvedTotal) return;
    try {
      await this.executor.run(ledgerDecider, stream, { type: 'ReplanPaymentSchedule', data: { buildId, build } }, {
        metadata: automationMetadata({
          service: 'build-ledger',
          tenantId,
          requestId: replanRequestId(event.eventId),
          now: this.clock.now(),
          cause: { correlationId: event.metadata.correlationId, causationId: event.eventId, automationDepth: event.metadata.automationDepth ?? 0 },
        }),
      });
    } catch (error) {
      if (isRejection(error)) throw new PoisonMessageError('rejected-command', `ReplanPaymentSchedule on build ${buildId} was rejected: ${error.message}`);
      throw error;
    }
  }
}
