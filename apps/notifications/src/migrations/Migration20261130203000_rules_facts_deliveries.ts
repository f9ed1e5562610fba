import { Migration } from '@mikro-orm/migrations';
import { tenantMembersTableSql, workflowRequestsTableSql } from '@projectflo/platform/service';

/**
 * What notifications keeps besides its event store; every table has its tenant_id, so the
 * owner's security step forces row-level security on it:
 * - tenant_members: who may call (the tenant directory, from crm.organization.v1);
 * - the facts a message is addressed and rendered with, each fed by the facts consumer from the
 *   owning context's events (personal data stays in this schema): tenant_facts (studio name and
 *   zone), recipients (users: name, email, zone, role, active), task_facts, lead_facts
 *   (owner, contact), contact_facts (name);
 * - notification_requests: notifications the trigger consumer recorded in its inbox transaction,
 *   started as workflows after commit by the dispatcher;
 * - deliveries + delivery_steps: the delivery log (rowProjection of notifications.delivery.v1).
 */
export class Migration20261130203000_rules_facts_deliveries extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    for (const sql of tenantMembersTableSql(schema)) this.addSql(sql);
    this.addSql(`CREATE TABLE tenant_facts (
      tenant_id text PRIMARY KEY,
      name text NOT NULL,
      timezone text NOT NULL
    )`);
    this.addSql(`CREATE TABLE recipients (
      tenant_id text NOT NULL,
      user_id text NOT NULL,
      name text NOT NULL,
      email text NOT NULL,
      timezone text NOT NULL,
      role text NOT NULL,
      active boolean NOT NULL,
      PRIMARY KEY (tenant_id, user_id)
    )`);
    this.addSql('CREATE INDEX recipients_role_idx ON recipients (tenant_id, role)');
    this.addSql(`CREATE TABLE task_facts (
      tenant_id text NOT NULL,
      task_id text NOT NULL,
      name text NOT NULL,
      due_at timestamptz(3),
      priority text NOT NULL,
      status text NOT NULL,
      assignee_id text,
      template_key text NOT NULL,
      lead_id text,
      PRIMARY KEY (tenant_id, task_id)
    )`);
    this.addSql(`CREATE TABLE lead_facts (
      tenant_id text NOT NULL,
      lead_id text NOT NULL,
      owner_id text,
      contact_id text NOT NULL,
      PRIMARY KEY (tenant_id, lead_id)
    )`);
    this.addSql(`CREATE TABLE contact_facts (
      tenant_id text NOT NULL,
      contact_id text NOT NULL,
      first_name text NOT NULL,
      last_name text NOT NULL,
      PRIMARY KEY (tenant_id, contact_id)
    )`);
    for (const sql of workflowRequestsTableSql('notification_requests')) this.addSql(sql);
    this.addSql(`CREATE TABLE deliveries (
      delivery_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      rule_id text NOT NULL,
      trigger text NOT NULL,
      subject_id text NOT NULL,
      occurrence text NOT NULL,
      recipient_id text,
      channel text NOT NULL,
      status text NOT NULL,
      critical boolean NOT NULL,
      failed_attempts integer NOT NULL,
      reason text NOT NULL,
      provider_message_id text NOT NULL,
      requested_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql('CREATE INDEX deliveries_list_idx ON deliveries (tenant_id, requested_at DESC, delivery_id DESC)');
    this.addSql('CREATE INDEX deliveries_subject_idx ON deliveries (tenant_id, subject_id, requested_at DESC)');
    this.addSql(`CREATE TABLE delivery_steps (
      event_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      delivery_id text NOT NULL,
      stream_position integer NOT NULL,
      type text NOT NULL,
      channel text NOT NULL,
      detail text NOT NULL,
      at timestamptz(3) NOT NULL
    )`);
    this.addSql('CREATE INDEX delivery_steps_delivery_idx ON delivery_steps (tenant_id, delivery_id, stream_position)');
  }
}
