import { Migration } from '@mikro-orm/migrations';
import { rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The catalog and builds read model: catalog_items (one row per item of a tenant's catalog),
 * builds (the decider's fold of each build plus list columns), build_change_orders and
 * build_snapshots (the whole build at each approved configuration version). Money is integer
 * minor units (bigint) beside a currency code. Tenant isolation by row-level security.
 */
export class Migration20261201021500_catalog_and_builds extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    this.addSql(`CREATE TABLE catalog_items (
      item_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      kind text NOT NULL,
      name text NOT NULL,
      description text,
      retired boolean NOT NULL,
      details jsonb NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX catalog_items_tenant_kind_name_idx ON catalog_items (tenant_id, kind, name, item_id)');
    this.addSql(`CREATE TABLE builds (
      build_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      lead_id text,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('inquiry', 'proposal_sent', 'booked', 'completed', 'archived')),
      currency text NOT NULL,
      live_price_minor bigint NOT NULL,
      approved_price_minor bigint,
      configuration_version integer NOT NULL,
      state jsonb NOT NULL,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      booked_at timestamptz(3),
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX builds_tenant_created_idx ON builds (tenant_id, created_at DESC, build_id DESC)');
    this.addSql('CREATE INDEX builds_tenant_lead_idx ON builds (tenant_id, lead_id)');
    this.addSql(`CREATE TABLE build_change_orders (
      change_order_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      build_id text NOT NULL,
      version integer NOT NULL,
      base_version integer NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
      description text NOT NULL,
      changes jsonb NOT NULL,
      currency text NOT NULL,
      price_delta_minor bigint NOT NULL,
      discount jsonb,
      new_approved_total_minor bigint NOT NULL,
      proposed_at timestamptz(3) NOT NULL,
      decided_at timestamptz(3),
      rejection_reason text
    )`);
    this.addSql('CREATE INDEX build_change_orders_build_idx ON build_change_orders (tenant_id, build_id, version, change_order_id)');
    this.addSql(`CREATE TABLE build_snapshots (
      build_id text NOT NULL,
      version integer NOT NULL,
      tenant_id text NOT NULL,
      snapshot jsonb NOT NULL,
      recorded_at timestamptz(3) NOT NULL,
      PRIMARY KEY (build_id, version)
    )`);
    for (const table of ['catalog_items', 'builds', 'build_change_orders', 'build_snapshots']) {
      for (const statement of rowLevelSecuritySql(schema, table)) this.addSql(statement);
    }
  }
}
