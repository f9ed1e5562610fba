import { Migration } from '@mikro-orm/migrations';
import { projectionCheckpointsSql } from '../../projection';
import { rowLevelSecuritySql } from '../../row-level-security';

export class Migration20251122000000_lead_views extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    this.addSql(`CREATE TABLE lead_views (
      id text PRIMARY KEY,
      tenant_id text NOT NULL,
      name text NOT NULL,
      status text NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX lead_views_tenant_idx ON lead_views (tenant_id)');
    this.addSql(projectionCheckpointsSql());
    for (const statement of rowLevelSecuritySql(schema, 'lead_views')) this.addSql(statement);
  }
}
