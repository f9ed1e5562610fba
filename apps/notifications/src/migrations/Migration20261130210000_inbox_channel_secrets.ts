import { Migration } from '@mikro-orm/migrations';

/**
 * - inbox_items: the in-app inboxes (rowProjection of notifications.inbox.v1); the unread list and
 *   the unread count read the same index.
 * - channel_secrets: the tenants' channel secrets, each sealed by SecretBox (envelope encryption
 *   bound to the tenant and the channel); the channel-settings events name a secret by its id.
 * Both are tenant tables (row-level security forced by the owner's security step).
 */
export class Migration20261130210000_inbox_channel_secrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE inbox_items (
      item_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      recipient_id text NOT NULL,
      rule_id text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      link text NULL,
      task_id text NULL,
      received_at timestamptz(3) NOT NULL,
      read_at timestamptz(3) NULL,
      archived_at timestamptz(3) NULL,
      snoozed_until timestamptz(3) NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX inbox_items_recipient_idx ON inbox_items (tenant_id, recipient_id, received_at DESC, item_id DESC)');
    this.addSql(`CREATE TABLE channel_secrets (
      secret_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      channel text NOT NULL,
      sealed jsonb NOT NULL,
      created_at timestamptz(3) NOT NULL
    )`);
  }
}
