import { Migration } from '@mikro-orm/migrations';
import { tenantMembersTableSql } from '@projectflo/platform/service';

/**
 * Scheduling's reminders and durable timers:
 * - `tenant_members`: crm's users, kept by the user-directory consumer; the gRPC gate asks it.
 * - `business_calendars`: each tenant's calendar as the task-engine publishes it (its owner).
 * - `timer_requests`: task timers workflows to signal (or start) after a consumer's commit; the
 *   dispatcher deletes the generation it signalled.
 * - partial indexes over the event store's schedule events, so a policy or calendar change finds
 *   the tenant's open schedules in the store itself.
 * Tenant tables carry tenant_id: the owner's security step forces row-level security on them.
 */
export class Migration20261130200500_task_timers extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    for (const sql of tenantMembersTableSql(schema)) this.addSql(sql);
    this.addSql(`CREATE TABLE business_calendars (
      tenant_id text PRIMARY KEY,
      timezone text NOT NULL,
      working_days jsonb NOT NULL,
      holidays jsonb NOT NULL,
      set_at timestamptz(3) NOT NULL
    )`);
    this.addSql(`CREATE TABLE timer_requests (
      workflow_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      task_id text NOT NULL,
      generation integer NOT NULL DEFAULT 0,
      requested_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_error text
    )`);
    this.addSql('CREATE INDEX timer_requests_due_idx ON timer_requests (next_attempt_at)');
    this.addSql(`CREATE INDEX events_task_scheduled_idx ON events (tenant_id) WHERE type = 'TaskScheduled'`);
    this.addSql(`CREATE INDEX events_task_schedule_ended_idx ON events (stream_name) WHERE type = 'TaskScheduleEnded'`);
  }
}
