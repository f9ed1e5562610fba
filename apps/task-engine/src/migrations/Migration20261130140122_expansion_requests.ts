import { Migration } from '@mikro-orm/migrations';

/**
 * Expansions decided from the event store and started after commit:
 * - `expansion_requests`: the trigger consumers record each expansion to start in their inbox
 *   transaction; the dispatcher starts the workflow after the commit (no Temporal call inside a
 *   transaction) and deletes the row once Temporal has it. Not tenant data a query reads: no RLS.
 * - an index over the event store's template creations, so that an expansion finds a tenant's
 *   templates for a trigger in the store itself (authoritative, never behind) without scanning the
 *   tenant's task events. The store owns the `events` table; this only adds a partial index to it.
 */
export class Migration20261130140122_expansion_requests extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE expansion_requests (
      workflow_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      input jsonb NOT NULL,
      requested_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_error text
    )`);
    this.addSql('CREATE INDEX expansion_requests_due_idx ON expansion_requests (next_attempt_at)');
    this.addSql(`CREATE INDEX events_template_creations_idx ON events (tenant_id) WHERE type = 'TaskTemplateCreated'`);
  }
}
