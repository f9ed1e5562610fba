import { Migration } from '@mikro-orm/migrations';

/**
 * Booked builds' project assignments (project-assignments/): one row per build's plan, the
 * decider's state beside the columns ListProjectAssignments filters and sorts by (event date as
 * YYYY-MM-DD text, open places). Has tenant_id: the owner's security step forces row-level security on it.
 */
export class Migration20261201023000_project_assignments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE project_assignment_plans (
      plan_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      build_id text NOT NULL,
      state jsonb NOT NULL,
      event_date text,
      open_places integer NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX project_assignment_plans_list_idx ON project_assignment_plans (tenant_id, event_date, build_id)');
    this.addSql('CREATE INDEX project_assignment_plans_build_idx ON project_assignment_plans (tenant_id, build_id)');
  }
}
