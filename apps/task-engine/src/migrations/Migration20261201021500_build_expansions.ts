import { Migration } from '@mikro-orm/migrations';
import { workflowRequestsTableSql } from '@projectflo/platform/service';

/**
 * Component recipe expansions of booked builds (component-recipes/):
 * - `build_expansion_requests`: the BuildBooked consumer records a build's expansion in its inbox
 *   transaction; the BuildExpansionDispatcher starts it after the commit (platform WorkflowRequests).
 * - `build_expansions`: what each (tenant, build, version) booking did — expansion requested, or no
 *   recipe matched — with the matched and unmatched component ids (ListBuildExpansions). Its key is
 *   what makes a redelivered booking change nothing.
 */
export class Migration20261201021500_build_expansions extends Migration {
  override async up(): Promise<void> {
    for (const sql of workflowRequestsTableSql('build_expansion_requests')) this.addSql(sql);
    this.addSql(`CREATE TABLE build_expansions (
      tenant_id text NOT NULL,
      build_id text NOT NULL,
      build_version integer NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('requested', 'no_recipe')),
      workflow_id text,
      matched_component_ids jsonb NOT NULL,
      unmatched_component_ids jsonb NOT NULL,
      booking_event_id text NOT NULL,
      recorded_at timestamptz(3) NOT NULL,
      PRIMARY KEY (tenant_id, build_id, build_version)
    )`);
  }
}
