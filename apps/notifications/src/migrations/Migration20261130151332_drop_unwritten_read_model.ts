import { Migration } from '@mikro-orm/migrations';

/**
 * notifications was a read model nothing ever wrote (no command, no projection); it goes with the
 * queries that read it. Notifications' own issue brings the inbox with its projection.
 */
export class Migration20261130151332_drop_unwritten_read_model extends Migration {
  override async up(): Promise<void> {
    this.addSql('DROP TABLE IF EXISTS notifications');
  }
}
