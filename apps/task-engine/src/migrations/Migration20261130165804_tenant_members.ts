import { Migration } from '@mikro-orm/migrations';
import { rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The task-engine's copy of crm's users: who is a member of which tenant, with which role, and
 * whether active (crm is the source of truth; the user-directory consumer keeps this table from
 * crm.organization.v1). The gRPC gate asks it on every call. A tenant table under row-level security.
 */
export class Migration20261130165804_tenant_members extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    this.addSql(`CREATE TABLE tenant_members (
      tenant_id text NOT NULL,
      user_id text NOT NULL,
      role text NOT NULL,
      active boolean NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, user_id)
    )`);
    for (const statement of rowLevelSecuritySql(schema, 'tenant_members')) this.addSql(statement);
  }
}
