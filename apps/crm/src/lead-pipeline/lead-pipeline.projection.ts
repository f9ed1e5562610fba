import { LeadPipelineEventType, type LeadPipelineEvent } from '@projectflo/crm/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { Projection } from '@projectflo/platform/persistence';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LeadStatusSchema, type LeadStatusRow } from './lead-pipeline.entities';

/**
 * The tenant's statuses with their pipeline positions. Every status row carries the pipeline
 * stream's version, since that stream is what a client pins with expected_version.
 */
export const leadPipelineProjection: Projection = {
  name: 'crm-lead-pipeline',
  handles: Object.values(LeadPipelineEventType),
  tables: ['lead_statuses'],
  async apply(em: EntityManager, recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as LeadPipelineEvent;
    const tenantId = recorded.metadata.tenantId;
    // Rows created earlier in the same transaction (a rebuild page) must be visible to the find.
    await em.flush();
    const rows = await em.find(LeadStatusSchema, { tenantId });
    // Idempotent by the pipeline's stream position as well as through the inbox.
    if (rows.some((r) => r.version >= recorded.streamPosition)) return;
    const active = rows.filter((r) => !r.retired).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const byId = new Map(rows.map((r) => [r.statusId, r]));
    switch (event.type) {
      case 'LeadStatusDefined': {
        const created = em.create(LeadStatusSchema, {
          statusId: event.data.statusId,
          tenantId,
          name: event.data.name,
          description: event.data.description,
          position: event.data.order,
          retired: false,
          definedAt: new Date(event.data.definedAt),
          version: recorded.streamPosition,
        });
        active.splice(event.data.order, 0, created);
        renumber(active);
        break;
      }
      case 'LeadStatusRenamed': {
        const row = byId.get(event.data.statusId);
        if (row) Object.assign(row, { name: event.data.name, description: event.data.description });
        break;
      }
      case 'LeadStatusesReordered': {
        const ordered = event.data.statusIds.map((id) => byId.get(id)).filter((r): r is LeadStatusRow => r !== undefined);
        renumber(ordered);
        break;
      }
      case 'LeadStatusRetired': {
        const row = byId.get(event.data.statusId);
        if (row) {
          row.retired = true;
          row.position = null;
          renumber(active.filter((r) => r !== row));
        }
        break;
      }
      default:
        break;
    }
    for (const row of rows) row.version = recorded.streamPosition;
  },
};

function renumber(active: LeadStatusRow[]): void {
  active.forEach((row, index) => {
    row.position = index;
  });
}
