import { LeadPipelineEventType } from '@projectflo/crm/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { Projection } from '@projectflo/platform/persistence';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LeadStatusSchema } from './lead-pipeline.entities';
import { evolveLeadPipelineView } from './lead-pipeline.view';

/**
 * The tenant's statuses as evolveLeadPipelineView folds them. Idempotent by the pipeline's stream
 * position besides the inbox: every row carries the stream's version, and an event at or below it
 * changes nothing.
 */
export const leadPipelineProjection: Projection = {
  name: 'crm-lead-pipeline',
  handles: Object.values(LeadPipelineEventType),
  tables: ['lead_statuses'],
  async apply(em: EntityManager, recorded: RecordedEvent): Promise<void> {
    // Rows created earlier in the same transaction (a rebuild page) must be visible to the find.
    await em.flush();
    const rows = await em.find(LeadStatusSchema, { tenantId: recorded.metadata.tenantId });
    if (rows.some((row) => row.version >= recorded.streamPosition)) return;
    const next = evolveLeadPipelineView(rows.length > 0 ? rows.map((row) => ({ ...row })) : undefined, recorded);
    const stored = new Map(rows.map((row) => [row.statusId, row]));
    for (const status of next ?? []) {
      const row = stored.get(status.statusId);
      // A managed entity's changes are found at flush, so assigning the fields is enough.
      if (row) Object.assign(row, status);
      else em.create(LeadStatusSchema, status);
    }
  },
};
