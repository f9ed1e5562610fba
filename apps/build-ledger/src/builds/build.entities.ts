import { EntitySchema } from '@mikro-orm/postgresql';

/** The build statuses of the brief's pipeline, as the read model stores them. */
export const BUILD_STATUSES = ['inquiry', 'proposal_sent', 'booked', 'completed', 'archived'] as const;
export type BuildStatusName = (typeof BUILD_STATUSES)[number];

/** One build (quote) and its money summary; amounts are exact decimal strings in `currency`. */
export interface BuildView {
  id: string;
  tenantId: string;
  leadId: string | null;
  name: string;
  status: BuildStatusName;
  currency: string;
  livePrice: string;
  approvedPrice: string | null;
  totalPaid: string;
  balance: string;
  configurationLocked: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const BuildViewSchema = new EntitySchema<BuildView>({
  name: 'BuildView',
  tableName: 'build_views',
  properties: {
    id: { type: 'string', primary: true, fieldName: 'build_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    leadId: { type: 'string', fieldName: 'lead_id', nullable: true },
    name: { type: 'string' },
    status: { type: 'string' },
    currency: { type: 'string' },
    livePrice: { type: 'decimal', fieldName: 'live_price' },
    approvedPrice: { type: 'decimal', fieldName: 'approved_price', nullable: true },
    totalPaid: { type: 'decimal', fieldName: 'total_paid' },
    balance: { type: 'decimal' },
    configurationLocked: { type: 'boolean', fieldName: 'configuration_locked' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    updatedAt: { type: 'Date', fieldName: 'updated_at' },
    version: { type: 'integer' },
  },
});

export const BUILD_LEDGER_ENTITIES = [BuildViewSchema];
