import { Migration } from '@mikro-orm/migrations';
import { projectionCheckpointsSql, rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The crm read model. Every table carries tenant_id under row-level security (queries read as
 * projectflo_app inside withTenantScope); dates without a time are text "YYYY-MM-DD" so range
 * filters compare calendar dates, never instants.
 */
export class Migration20261122030500_crm_read_model extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');

    this.addSql(`CREATE TABLE organizations (
      tenant_id text PRIMARY KEY,
      name text NOT NULL,
      timezone text NOT NULL,
      registered_at timestamptz NOT NULL,
      version integer NOT NULL
    )`);

    this.addSql(`CREATE TABLE users (
      user_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      name text NOT NULL,
      email text NOT NULL,
      timezone text NOT NULL,
      role text NOT NULL,
      active boolean NOT NULL,
      added_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX users_tenant_idx ON users (tenant_id, added_at)');

    this.addSql(`CREATE TABLE contacts (
      contact_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      type text NOT NULL,
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text NOT NULL,
      phone text,
      company text,
      archived boolean NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX contacts_tenant_email_idx ON contacts (tenant_id, email)');

    this.addSql(`CREATE TABLE lead_statuses (
      status_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      name text NOT NULL,
      description text NOT NULL,
      position integer,
      retired boolean NOT NULL,
      defined_at timestamptz NOT NULL,
      version integer NOT NULL,
      CHECK ((position IS NULL) = retired)
    )`);
    this.addSql('CREATE INDEX lead_statuses_tenant_idx ON lead_statuses (tenant_id, position)');

    this.addSql(`CREATE TABLE leads (
      lead_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      contact_id text NOT NULL,
      status_id text NOT NULL,
      assignee_id text,
      event_date text CHECK (event_date ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      venue text,
      source text NOT NULL,
      source_details text NOT NULL,
      campaign_id text,
      follow_up_date text CHECK (follow_up_date ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      expected_close_date text CHECK (expected_close_date ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      temperature text NOT NULL,
      notes text,
      last_engagement_at timestamptz,
      archived boolean NOT NULL,
      captured_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL
    )`);
    // ListLeads pages newest first on (captured_at, lead_id) within a tenant.
    this.addSql('CREATE INDEX leads_tenant_page_idx ON leads (tenant_id, captured_at DESC, lead_id DESC)');
    this.addSql('CREATE INDEX leads_tenant_status_idx ON leads (tenant_id, status_id) WHERE NOT archived');
    this.addSql('CREATE INDEX leads_tenant_assignee_idx ON leads (tenant_id, assignee_id)');
    this.addSql('CREATE INDEX leads_tenant_follow_up_idx ON leads (tenant_id, follow_up_date)');

    this.addSql(`CREATE TABLE lead_status_history (
      event_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      lead_id text NOT NULL,
      from_status_id text,
      to_status_id text NOT NULL,
      reason text NOT NULL,
      changed_by text NOT NULL,
      changed_at timestamptz NOT NULL,
      stream_position integer NOT NULL
    )`);
    this.addSql('CREATE INDEX lead_status_history_lead_idx ON lead_status_history (lead_id, stream_position)');

    this.addSql(`CREATE TABLE lead_assignments (
      event_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      lead_id text NOT NULL,
      previous_assignee_id text,
      assignee_id text NOT NULL,
      reason text NOT NULL,
      assigned_by text NOT NULL,
      assigned_at timestamptz NOT NULL,
      stream_position integer NOT NULL
    )`);
    this.addSql('CREATE INDEX lead_assignments_lead_idx ON lead_assignments (lead_id, stream_position)');

    this.addSql(`CREATE TABLE lead_notes (
      note_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      lead_id text NOT NULL,
      body text NOT NULL,
      private boolean NOT NULL,
      mentions jsonb NOT NULL,
      author_id text NOT NULL,
      created_at timestamptz NOT NULL,
      stream_position integer NOT NULL
    )`);
    this.addSql('CREATE INDEX lead_notes_lead_idx ON lead_notes (lead_id, stream_position)');

    this.addSql(`CREATE TABLE communications (
      communication_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      lead_id text NOT NULL,
      type text NOT NULL,
      direction text NOT NULL,
      subject text NOT NULL,
      content text NOT NULL,
      status text NOT NULL,
      occurred_at timestamptz NOT NULL,
      logged_by text NOT NULL,
      logged_at timestamptz NOT NULL,
      stream_position integer NOT NULL
    )`);
    this.addSql('CREATE INDEX communications_lead_idx ON communications (lead_id, stream_position)');

    this.addSql(projectionCheckpointsSql());

    for (const table of [
      'organizations',
      'users',
      'contacts',
      'lead_statuses',
      'leads',
      'lead_status_history',
      'lead_assignments',
      'lead_notes',
      'communications',
    ]) {
      for (const statement of rowLevelSecuritySql(schema, table)) this.addSql(statement);
    }
  }
}
