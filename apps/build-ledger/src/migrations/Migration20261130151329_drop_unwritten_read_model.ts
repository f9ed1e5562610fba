import { Migration } from '@mikro-orm/migrations';

/**
 * build_views was a read model nothing ever wrote (no command, no projection); it goes with the
 * queries that read it. The builds' own issue brings its read model with its projection.
 */
export class Migration20261130151329_drop_unwritten_read_model extends Migration {
  override async up(): Promise<void> {
    this.addSql('DROP TABLE IF EXISTS build_views');
  }
}
