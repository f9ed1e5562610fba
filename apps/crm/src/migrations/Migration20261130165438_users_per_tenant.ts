import { Migration } from '@mikro-orm/migrations';

/**
 * A user is a user of a tenant: an organization's owner is the user who registered it (the
 * token's user id), and one person may belong to several organizations, so a users row is keyed by
 * (tenant_id, user_id), not by the user id alone.
 */
export class Migration20261130165438_users_per_tenant extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE users DROP CONSTRAINT users_pkey');
    this.addSql('ALTER TABLE users ADD PRIMARY KEY (tenant_id, user_id)');
  }
}
