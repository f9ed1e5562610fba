import { EntitySchema } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { Projection } from '../projection';

export interface LeadView {
  id: string;
  tenantId: string;
  name: string;
  status: string;
  version: number;
}

export const LeadViewSchema = new EntitySchema<LeadView>({
  name: 'LeadView',
  tableName: 'lead_views',
  properties: {
    id: { type: 'string', primary: true },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    name: { type: 'string' },
    status: { type: 'string' },
    version: { type: 'integer' },
  },
});

interface LeadCreated {
  readonly leadId: string;
  readonly name: string;
}
interface LeadStatusChanged {
  readonly leadId: string;
  readonly status: string;
}

function isLeadCreated(data: unknown): data is LeadCreated {
  const d = data as Partial<LeadCreated> | null;
  return typeof d?.leadId === 'string' && typeof d.name === 'string';
}
function isLeadStatusChanged(data: unknown): data is LeadStatusChanged {
  const d = data as Partial<LeadStatusChanged> | null;
  return typeof d?.leadId === 'string' && typeof d.status === 'string';
}

export const leadViewProjection: Projection = {
  name: 'lead-views',
  handles: ['LeadCreated', 'LeadStatusChanged'],
  tables: ['lead_views'],
  async apply(em: EntityManager, event: RecordedEvent): Promise<void> {
    if (event.type === 'LeadCreated' && isLeadCreated(event.data)) {
      em.create(LeadViewSchema, {
        id: event.data.leadId,
        tenantId: event.metadata.tenantId,
        name: event.data.name,
        status: 'new',
        version: event.streamPosition,
      });
      return;
    }
    if (event.type === 'LeadStatusChanged' && isLeadStatusChanged(event.data)) {
      const lead = await em.findOneOrFail(LeadViewSchema, { id: event.data.leadId });
      lead.status = event.data.status;
      lead.version = event.streamPosition;
    }
  },
};
