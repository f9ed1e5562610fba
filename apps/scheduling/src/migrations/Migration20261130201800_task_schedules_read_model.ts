import { Migration } from '@mikro-orm/migrations';

/**
 * The task schedules read model (projection scheduling-task-schedules): one row per task with a
 * due date, its decider state, what is pending and its next firing (ListTaskSchedules pages on
 * (next_fire_at, task_id)). A tenant table: the owner's security step forces row-level security.
 */
export class Migration20261130201800_task_schedules_read_model extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE task_schedules (
      task_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      state jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'ended')),
      due_at timestamptz(3) NOT NULL,
      pending jsonb NOT NULL,
      next_fire_at timestamptz(3),
      fired_reminders jsonb NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql(`CREATE INDEX task_schedules_next_fire_idx ON task_schedules (tenant_id, next_fire_at, task_id) WHERE next_fire_at IS NOT NULL`);
  }
}
