import { EntitySchema } from '@mikro-orm/postgresql';

export interface LeadStatusRow {
  statusId: string;
  tenantId: string;
  name: string;
  description: string;
  /** 0-based pipeline position; null once retired. */
  position: number | null;
  retired: boolean;
  definedAt: Date;
  /** Version of the tenant's pipeline stream (shared by all its statuses). */
  version: number;
}

export const LeadStatusSchema = new EntitySchema<LeadStatusRow>({
  name: 'LeadStatusRow',
  tableName: 'lead_statuses',
  properties: {
    statusId: { type: 'string', primary: true, fieldName: 'status_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    name: { type: 'string' },
    description: { type: 'string' },
    position: { type: 'integer', nullable: true },
    retired: { type: 'boolean' },
    definedAt: { type: 'datetime', fieldName: 'defined_at' },
    version: { type: 'integer' },
  },
});
