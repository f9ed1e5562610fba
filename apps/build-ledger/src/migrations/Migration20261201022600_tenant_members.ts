import { Migration } from '@mikro-orm/migrations';
import { tenantMembersTableSql } from '@projectflo/platform/service';

/**
 * build-ledger's copy of crm's users (`tenant_members`): kept by the user-directory consumer from
 * crm.organization.v1; the gRPC gate asks it on every call to the catalog, builds and ledger RPCs.
 */
export class Migration20261201022600_tenant_members extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    for (const sql of tenantMembersTableSql(schema)) this.addSql(sql);
  }
}
