import { Migration } from '@mikro-orm/migrations';

/** The deliveries that took a slot of their rule's throttle (per recipient and window); a tenant table. */
export class Migration20261130204500_throttle_slots extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE throttle_slots (
      delivery_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      rule_id text NOT NULL,
      recipient_id text NOT NULL,
      window_start timestamptz(3) NOT NULL
    )`);
    this.addSql('CREATE INDEX throttle_slots_window_idx ON throttle_slots (tenant_id, rule_id, recipient_id, window_start)');
  }
}
