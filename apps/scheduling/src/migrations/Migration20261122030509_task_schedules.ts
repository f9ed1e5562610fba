import { Migration } from '@mikro-orm/migrations';
import { rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The first scheduling read model: the schedule held for each task (its due time and whether it
 * is still open) and the reminders of that schedule, as GetTaskSchedule / ListReminders return
 * them. Instants are millisecond timestamps so a paging cursor (an ISO string) round-trips
 * exactly. Tenant isolation by row-level security, read through withTenantScope.
 */
export class Migration20261122030509_task_schedules extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    this.addSql(`CREATE TABLE task_schedules (
      task_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      due_at timestamptz(3),
      task_open boolean NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX task_schedules_tenant_idx ON task_schedules (tenant_id)');
    this.addSql(`CREATE TABLE reminders (
      reminder_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      task_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('before_due', 'on_due', 'overdue')),
      offset_days integer NOT NULL CHECK (offset_days >= 0),
      fire_at timestamptz(3) NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'fired', 'cancelled')),
      fired_at timestamptz(3),
      CHECK ((fired_at IS NOT NULL) = (status = 'fired'))
    )`);
    this.addSql('CREATE INDEX reminders_tenant_fire_idx ON reminders (tenant_id, fire_at, reminder_id)');
    this.addSql('CREATE INDEX reminders_tenant_task_idx ON reminders (tenant_id, task_id)');
    for (const table of ['task_schedules', 'reminders']) {
      for (const statement of rowLevelSecuritySql(schema, table)) this.addSql(statement);
    }
  }
}
