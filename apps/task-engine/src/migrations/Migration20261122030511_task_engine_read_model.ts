import { Migration } from '@mikro-orm/migrations';
import { projectionCheckpointsSql, rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The task-engine read model (fed by the `read-model` consumer group from the service's own
 * topics), the lead facts of the `lead-automation` group, the blocker bookkeeping of the
 * `dependencies` group and the loop guard's rate window. Every table carries tenant_id; the tables
 * the query side reads get row-level security.
 */
export class Migration20261122030511_task_engine_read_model extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');

    this.addSql(`CREATE TABLE event_types (
      event_type_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      key text NOT NULL,
      name text NOT NULL,
      description text,
      subject_date_fields jsonb NOT NULL DEFAULT '[]'::jsonb,
      retired boolean NOT NULL DEFAULT false,
      version integer NOT NULL,
      defined_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE UNIQUE INDEX event_types_tenant_key_idx ON event_types (tenant_id, key)');

    this.addSql(`CREATE TABLE task_templates (
      template_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      key text NOT NULL,
      trigger_kind text NOT NULL,
      trigger_value text NOT NULL,
      current_version integer NOT NULL,
      definition jsonb NOT NULL,
      retired boolean NOT NULL DEFAULT false,
      stream_version integer NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX task_templates_trigger_idx ON task_templates (tenant_id, trigger_kind, trigger_value, key)');
    this.addSql(`CREATE TABLE task_template_versions (
      template_id text NOT NULL,
      version integer NOT NULL,
      tenant_id text NOT NULL,
      definition jsonb NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (template_id, version)
    )`);

    this.addSql(`CREATE TABLE tasks (
      task_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      name text NOT NULL,
      description text,
      status text NOT NULL,
      priority text NOT NULL,
      phase text,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      due_at timestamptz,
      due_date_basis jsonb NOT NULL,
      assignee_id text,
      parent_task_id text,
      subject_id text NOT NULL,
      trigger_kind text NOT NULL,
      trigger_value text NOT NULL,
      trigger_event_id text NOT NULL,
      template_id text NOT NULL,
      template_key text NOT NULL,
      template_version integer NOT NULL,
      planned_hours numeric(12, 2) NOT NULL,
      actual_hours numeric(12, 2) NOT NULL DEFAULT 0,
      allow_complete_with_open_subtasks boolean NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX tasks_due_idx ON tasks (tenant_id, due_at, task_id)');
    this.addSql('CREATE INDEX tasks_assignee_idx ON tasks (tenant_id, assignee_id, due_at)');
    this.addSql('CREATE INDEX tasks_subject_idx ON tasks (tenant_id, subject_id)');
    this.addSql('CREATE INDEX tasks_parent_idx ON tasks (tenant_id, parent_task_id)');
    this.addSql('CREATE INDEX tasks_trigger_event_idx ON tasks (tenant_id, trigger_event_id)');

    this.addSql(`CREATE TABLE task_transitions (
      task_id text NOT NULL,
      stream_position integer NOT NULL,
      tenant_id text NOT NULL,
      from_status text,
      to_status text NOT NULL,
      actor_id text NOT NULL,
      at timestamptz NOT NULL,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      PRIMARY KEY (task_id, stream_position)
    )`);
    this.addSql(`CREATE TABLE task_dependencies (
      task_id text NOT NULL,
      blocker_task_id text NOT NULL,
      tenant_id text NOT NULL,
      completed boolean NOT NULL DEFAULT false,
      PRIMARY KEY (task_id, blocker_task_id)
    )`);
    this.addSql('CREATE INDEX task_dependencies_blocker_idx ON task_dependencies (tenant_id, blocker_task_id)');
    this.addSql(`CREATE TABLE checklist_items (
      task_id text NOT NULL,
      item_key text NOT NULL,
      tenant_id text NOT NULL,
      position integer NOT NULL,
      title text NOT NULL,
      assignee_id text,
      completed boolean NOT NULL DEFAULT false,
      completed_by text,
      completed_at timestamptz,
      PRIMARY KEY (task_id, item_key)
    )`);
    this.addSql(`CREATE TABLE task_comments (
      task_id text NOT NULL,
      comment_id text NOT NULL,
      tenant_id text NOT NULL,
      body text NOT NULL,
      visibility text NOT NULL,
      author_id text NOT NULL,
      created_at timestamptz NOT NULL,
      stream_position integer NOT NULL,
      PRIMARY KEY (task_id, comment_id)
    )`);

    // Lead facts learnt from crm.lead.v1 (lead-automation group): the snapshot an expansion reads.
    this.addSql(`CREATE TABLE subjects (
      tenant_id text NOT NULL,
      subject_id text NOT NULL,
      assignee_id text,
      event_date date,
      status_id text,
      archived boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, subject_id)
    )`);

    // The dependencies group's own bookkeeping, so that it never depends on the read model's lag.
    this.addSql(`CREATE TABLE blocker_links (
      blocker_task_id text NOT NULL,
      dependent_task_id text NOT NULL,
      tenant_id text NOT NULL,
      PRIMARY KEY (blocker_task_id, dependent_task_id)
    )`);
    this.addSql(`CREATE TABLE finished_blockers (
      task_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      finish_event_id text NOT NULL,
      finished_at timestamptz NOT NULL
    )`);

    // The loop guard's rate window: automated (depth ≥ 1) triggers admitted per tenant.
    this.addSql(`CREATE TABLE automation_triggers (
      trigger_event_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      depth integer NOT NULL,
      recorded_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX automation_triggers_window_idx ON automation_triggers (tenant_id, recorded_at)');

    this.addSql(projectionCheckpointsSql());
    const tenantTables = [
      'event_types',
      'task_templates',
      'task_template_versions',
      'tasks',
      'task_transitions',
      'task_dependencies',
      'checklist_items',
      'task_comments',
      'subjects',
    ];
    for (const table of tenantTables) for (const statement of rowLevelSecuritySql(schema, table)) this.addSql(statement);
  }
}
