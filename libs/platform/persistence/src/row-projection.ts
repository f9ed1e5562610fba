/*
 * Usage — the read-model rule: one pure fold per read model (a ViewFold from core, kept in the
 * app's `<feature>.view.ts`) serves the projection, the command reply and the rebuild:
 *
 *   // lead.view.ts — pure, no I/O
 *   export const evolveLeadRow: ViewFold<LeadRow> = (row, event) => ...;
 *   // lead.projection.ts — stores what the fold returns
 *   export const leadProjection = rowProjection({
 *     name: 'crm-leads', handles: Object.values(LeadEventType), entity: LeadSchema,
 *     key: (event) => ({ leadId: (event.data as { leadId: string }).leadId }),
 *     fold: evolveLeadRow,
 *     alongside: { tables: ['lead_notes'], apply: (em, event) => ... }, // optional rows beside the main one
 *   });
 *   // lead.commands.ts — replies with the same fold, without a second read
 *   const { view } = await executor.run(leadDecider, stream, { type, data }, { context: ctx, view: evolveLeadRow });
 *
 * A rebuild replays the same projections (rebuildProjection), so the three never disagree.
 */
import type { EntityManager, EntitySchema, FilterQuery, RequiredEntityData } from '@mikro-orm/postgresql';
import type { RecordedEvent, ViewFold } from '@projectflo/platform/core';
import type { Projection } from './projection';

/** What a row of a folded read model carries: its tenant (RLS) and its stream's version (idempotence). */
export interface VersionedRow {
  tenantId: string;
  version: number;
}

export interface RowProjectionSpec<Row extends VersionedRow> {
  readonly name: string;
  readonly handles: readonly string[];
  /** The row's entity; its table is the first of the projection's tables. */
  readonly entity: EntitySchema<Row>;
  readonly table: string;
  /** The row an event belongs to (its stream's aggregate id). */
  readonly key: (event: RecordedEvent) => FilterQuery<Row>;
  readonly fold: ViewFold<Row>;
  /**
   * Rows the same events write beside the main one (a lead's notes, an organization's users),
   * applied only once the main row took the event, so they share its idempotence.
   */
  readonly alongside?: {
    readonly tables: readonly string[];
    readonly apply: (em: EntityManager, event: RecordedEvent) => void | Promise<void>;
  };
}

/**
 * A projection that stores one row per stream as `fold` computes it. Idempotent by stream
 * position besides the inbox: an event at or below the row's version changes nothing; an event of
 * another tenant's stream, or of a stream whose first event it never saw, is skipped.
 */
export function rowProjection<Row extends VersionedRow>(spec: RowProjectionSpec<Row>): Projection {
  return {
    name: spec.name,
    handles: spec.handles,
    tables: [spec.table, ...(spec.alongside?.tables ?? [])],
    async apply(em: EntityManager, event: RecordedEvent): Promise<void> {
      const current = (await em.findOne(spec.entity, spec.key(event))) ?? undefined;
      if (current && (current.tenantId !== event.metadata.tenantId || event.streamPosition <= current.version)) return;
      const next = spec.fold(current ? { ...current } : undefined, event);
      if (!next) return;
      // A managed entity's changes are found at flush, so assigning the fields is enough.
      if (current) Object.assign(current, next);
      else em.create(spec.entity, next as RequiredEntityData<Row>);
      await spec.alongside?.apply(em, event);
    },
  };
}
