import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, ledgerBuildEventsV1 } from '@projectflo/contracts';
import { type Clock, CLOCK, foldState } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { type EventEnvelope, PoisonMessageError } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { ConsumerFactory, requestWorkflowId } from '@projectflo/platform/service';
import { type ComponentRecipeEvent, matchComponents, recipeBookDecider, type RecipeBookState, recipeBookStream } from '@projectflo/task-engine/domain';
import type { z } from 'zod';
import { BuildExpansionRequests, buildExpansionWorkflowId } from './build-expansion.starter';

const { LEDGER_BUILD_TOPIC_V1, ledgerBuildEventContractsV1 } = ledgerBuildEventsV1;
type BuildBooked = { readonly type: 'BuildBooked'; readonly data: z.infer<typeof ledgerBuildEventsV1.BuildBookedV1> };

/** The tenant's recipe book as the event store holds it, read in the consumer's transaction (never a lagging read model). */
export async function readRecipeBook(tx: OrmTx, tenantId: string): Promise<RecipeBookState> {
  const rows = await tx.query<{ type: ComponentRecipeEvent['type']; data: ComponentRecipeEvent['data'] }>(
    'SELECT type, data FROM events WHERE stream_name = $1 AND tenant_id = $2 ORDER BY stream_position',
    [recipeBookStream(tenantId), tenantId],
  );
  return foldState(recipeBookDecider, rows as ComponentRecipeEvent[]);
}

/**
 * Group `build-expansion` on ledger.build.v1: for each BuildBooked (other types of the topic are not
 * its business) it matches the build's components against the tenant's recipe book and records
 * the outcome in `build_expansions` (ListBuildExpansions) — and, when a component matched, the
 * expansion request the BuildExpansionDispatcher starts after the commit, once per (tenant, build,
 * version). A redelivered booking finds both rows and changes nothing.
 */
@Injectable()
export class BuildBookedConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly requests: BuildExpansionRequests,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.consumers
      // Its build_expansions rows are what ListBuildExpansions reads.
      .events<BuildBooked>('build-expansion', [LEDGER_BUILD_TOPIC_V1], { readModel: true })
      .on('BuildBooked', (event, tx) => this.booked(event, tx), contractChecks(ledgerBuildEventContractsV1, 'BuildBooked'));
  }

  private async booked(event: EventEnvelope<BuildBooked>, tx: OrmTx): Promise<void> {
    const d = event.data;
    const tenantId = event.metadata.tenantId;
    if (d.tenantId !== tenantId) throw new PoisonMessageError('invalid-payload', `the payload names tenant ${d.tenantId}, the event ${tenantId}`);
    const workflowId = requestWorkflowId(() => buildExpansionWorkflowId(tenantId, d.buildId, d.version));
    const { matched, unmatched } = matchComponents(await readRecipeBook(tx, tenantId), d.components);
    const outcome = matched.length > 0 ? 'requested' : 'no_recipe';
    const inserted = await tx.query<{ build_id: string }>(
      `INSERT INTO build_expansions (tenant_id, build_id, build_version, outcome, workflow_id, matched_component_ids, unmatched_component_ids, booking_event_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)
       ON CONFLICT (tenant_id, build_id, build_version) DO NOTHING RETURNING build_id`,
      [tenantId, d.buildId, d.version, outcome, matched.length > 0 ? workflowId : null, JSON.stringify(matched.map((m) => m.componentId)), JSON.stringify(unmatched), event.eventId, this.clock.now()],
    );
    if (inserted.length === 0) {
      this.logger.debug('build version already expanded or recorded: nothing to do', { tenantId, buildId: d.buildId, version: d.version, eventId: event.eventId });
      return;
    }
    if (matched.length === 0) {
      this.logger.info('no component recipe matches the booked build: no tasks', { tenantId, buildId: d.buildId, version: d.version, components: d.components.length });
      return;
    }
    const matchedIds = new Set(matched.map((m) => m.componentId));
    await this.requests.record(tx, {
      workflowId,
      tenantId,
      requestedAt: this.clock.now(),
      input: {
        tenantId,
        build: { tenantId, buildId: d.buildId, version: d.version, eventDate: d.eventDate, bookedAt: d.bookedAt },
        components: d.components.filter((c) => matchedIds.has(c.componentId)),
        matches: matched,
        automationDepth: event.metadata.automationDepth ?? 0,
      },
    });
  }
}
