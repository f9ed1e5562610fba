import { Migration } from '@mikro-orm/migrations';

/**
 * A task row keeps the task as its stream folds it (`state`: the domain's TaskSnapshot), the one
 * fold that the projection, a command's reply and a rebuild share; the other columns are derived
 * from it for filtering and sorting. Checklist items live in that state, so their table goes.
 * The task tables start empty: refill them from the event store with
 * `scripts/rebuild-read-model.ts task-engine` (a new schema needs nothing).
 */
export class Migration20261130170000_task_state extends Migration {
  override async up(): Promise<void> {
    this.addSql('TRUNCATE tasks, task_transitions, task_dependencies, task_comments');
    this.addSql('ALTER TABLE tasks ADD COLUMN state jsonb NOT NULL');
    this.addSql('DROP TABLE checklist_items');
  }
}
