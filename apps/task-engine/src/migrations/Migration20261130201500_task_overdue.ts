import { Migration } from '@mikro-orm/migrations';

/**
 * A task's overdue flag (TaskMarkedOverdue, cleared by a reschedule, completion or archiving) as a
 * column for ListTasks' overdue_only filter; rows stored before the flag existed get it in their
 * state too (no TaskMarkedOverdue was recorded before, so false is their fold).
 */
export class Migration20261130201500_task_overdue extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE tasks ADD COLUMN overdue boolean NOT NULL DEFAULT false');
    this.addSql(`UPDATE tasks SET state = state || '{"overdue": false}'::jsonb WHERE NOT state ? 'overdue'`);
    this.addSql('CREATE INDEX tasks_overdue_idx ON tasks (tenant_id, due_at, task_id) WHERE overdue');
  }
}
