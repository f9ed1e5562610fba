import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';
import type { BuildSnapshot, BuildState, BuildStatus, ConfigurationChange, Discount } from '@projectflo/build-ledger/domain';

/**
 * A build as the read model keeps it: the decider's own fold of the stream (`state`, so a query
 * answers exactly what the next command decides from) and the columns lists filter and sort by.
 * Money: integer minor units (bigint) beside the build's currency.
 */
export interface BuildRow {
  buildId: string;
  tenantId: string;
  leadId: string | null;
  name: string;
  status: BuildStatus;
  currency: string;
  livePriceMinor: number;
  approvedPriceMinor: number | null;
  configurationVersion: number;
  state: BuildState;
  createdAt: Date;
  updatedAt: Date;
  bookedAt: Date | null;
  /** The build stream's version. */
  version: number;
}

/** A change order of a build, whatever became of it. */
export interface ChangeOrderRow {
  changeOrderId: string;
  tenantId: string;
  buildId: string;
  version: number;
  baseVersion: number;
  status: 'pending' | 'approved' | 'rejected';
  description: string;
  changes: readonly ConfigurationChange[];
  currency: string;
  priceDeltaMinor: number;
  discount: Omit<Discount, 'changeOrderId' | 'version'> | null;
  newApprovedTotalMinor: number;
  proposedAt: Date;
  decidedAt: Date | null;
  rejectionReason: string | null;
}

/** The whole build at one configuration version (approval: 1; each approved change order: its version). */
export interface BuildSnapshotRow {
  buildId: string;
  version: number;
  tenantId: string;
  snapshot: BuildSnapshot;
  recordedAt: Date;
}

const minor = (fieldName: string, nullable = false) => ({ type: new BigIntType('number'), fieldName, nullable }) as const;

export const BuildSchema = new EntitySchema<BuildRow>({
  name: 'BuildRow',
  tableName: 'builds',
  properties: {
    buildId: { type: 'string', primary: true, fieldName: 'build_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    leadId: { type: 'string', fieldName: 'lead_id', nullable: true },
    name: { type: 'text' },
    status: { type: 'string' },
    currency: { type: 'string' },
    livePriceMinor: minor('live_price_minor'),
    approvedPriceMinor: minor('approved_price_minor', true),
    configurationVersion: { type: 'integer', fieldName: 'configuration_version' },
    state: { type: 'json' },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
    bookedAt: { type: 'datetime', fieldName: 'booked_at', nullable: true },
    version: { type: 'integer' },
  },
});

export const ChangeOrderSchema = new EntitySchema<ChangeOrderRow>({
  name: 'ChangeOrderRow',
  tableName: 'build_change_orders',
  properties: {
    changeOrderId: { type: 'string', primary: true, fieldName: 'change_order_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    buildId: { type: 'string', fieldName: 'build_id' },
    version: { type: 'integer' },
    baseVersion: { type: 'integer', fieldName: 'base_version' },
    status: { type: 'string' },
    description: { type: 'text' },
    changes: { type: 'json' },
    currency: { type: 'string' },
    priceDeltaMinor: minor('price_delta_minor'),
    discount: { type: 'json', nullable: true },
    newApprovedTotalMinor: minor('new_approved_total_minor'),
    proposedAt: { type: 'datetime', fieldName: 'proposed_at' },
    decidedAt: { type: 'datetime', fieldName: 'decided_at', nullable: true },
    rejectionReason: { type: 'text', fieldName: 'rejection_reason', nullable: true },
  },
});

export const BuildSnapshotSchema = new EntitySchema<BuildSnapshotRow>({
  name: 'BuildSnapshotRow',
  tableName: 'build_snapshots',
  properties: {
    buildId: { type: 'string', primary: true, fieldName: 'build_id' },
    version: { type: 'integer', primary: true },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    snapshot: { type: 'json' },
    recordedAt: { type: 'datetime', fieldName: 'recorded_at' },
  },
});

export const BUILD_ENTITIES = [BuildSchema, ChangeOrderSchema, BuildSnapshotSchema] as const;
