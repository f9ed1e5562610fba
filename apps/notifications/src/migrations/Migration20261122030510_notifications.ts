import { Migration } from '@mikro-orm/migrations';
import { rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The first notifications read model: the in-app inbox (one row per notification with its read
 * state), as ListNotifications returns it. Instants are millisecond timestamps so a paging cursor
 * (an ISO string) round-trips exactly. Tenant isolation by row-level security, read through
 * withTenantScope.
 */
export class Migration20261122030510_notifications extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    this.addSql(`CREATE TABLE notifications (
      notification_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      recipient_id text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      link text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('in_app', 'email', 'sms', 'push', 'slack')),
      read_at timestamptz(3),
      created_at timestamptz(3) NOT NULL
    )`);
    this.addSql('CREATE INDEX notifications_inbox_idx ON notifications (tenant_id, recipient_id, created_at DESC, notification_id DESC)');
    for (const statement of rowLevelSecuritySql(schema, 'notifications')) this.addSql(statement);
  }
}
