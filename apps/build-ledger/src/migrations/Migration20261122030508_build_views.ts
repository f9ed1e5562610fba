import { Migration } from '@mikro-orm/migrations';
import { rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The first build-ledger read model: one row per build (quote) with its money summary, as
 * GetBuild / ListBuilds return it. Money is exact `numeric` (no scale: amounts keep the digits the
 * domain wrote); instants are millisecond timestamps so a paging cursor (an ISO string) round-trips
 * without losing a row. Tenant isolation by row-level security, read through withTenantScope.
 */
export class Migration20261122030508_build_views extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    this.addSql(`CREATE TABLE build_views (
      build_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      lead_id text,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('inquiry', 'proposal_sent', 'booked', 'completed', 'archived')),
      currency text NOT NULL,
      live_price numeric NOT NULL,
      approved_price numeric,
      total_paid numeric NOT NULL,
      balance numeric NOT NULL,
      configuration_locked boolean NOT NULL,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX build_views_tenant_created_idx ON build_views (tenant_id, created_at DESC, build_id DESC)');
    this.addSql('CREATE INDEX build_views_tenant_lead_idx ON build_views (tenant_id, lead_id)');
    for (const statement of rowLevelSecuritySql(schema, 'build_views')) this.addSql(statement);
  }
}
