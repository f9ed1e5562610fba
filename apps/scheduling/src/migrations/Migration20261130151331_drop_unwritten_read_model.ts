import { Migration } from '@mikro-orm/migrations';

/**
 * task_schedules and reminders were a read model nothing ever wrote (no command, no projection);
 * they go with the queries that read them. Scheduling's own issue brings its read model with its
 * projection.
 */
export class Migration20261130151331_drop_unwritten_read_model extends Migration {
  override async up(): Promise<void> {
    this.addSql('DROP TABLE IF EXISTS reminders, task_schedules');
  }
}
