import { Migration } from '@mikro-orm/migrations';

/**
 * The contributor calendars' read model (calendars/calendars.projection.ts): the calendar row, its
 * entries (cancelled ones kept, for the feed) and its conflicts (resolved ones kept). Instants are
 * millisecond timestamps so a paging cursor (an ISO string) round-trips exactly. Every table has
 * tenant_id: the owner's security step forces row-level security on it.
 */
export class Migration20261130203000_contributor_calendars extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE contributor_calendars (
      calendar_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      contributor_id text NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      version integer NOT NULL
    )`);
    this.addSql(`CREATE TABLE calendar_entries (
      entry_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      calendar_id text NOT NULL,
      contributor_id text NOT NULL,
      entry_type text NOT NULL,
      title text NOT NULL,
      span jsonb NOT NULL,
      timezone text NOT NULL,
      project_id text,
      build_id text,
      status text NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
      sequence integer NOT NULL,
      starts_at timestamptz(3) NOT NULL,
      ends_at timestamptz(3) NOT NULL,
      booked_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL
    )`);
    this.addSql('CREATE INDEX calendar_entries_range_idx ON calendar_entries (tenant_id, calendar_id, starts_at, entry_id)');
    this.addSql(`CREATE TABLE calendar_conflicts (
      conflict_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      calendar_id text NOT NULL,
      contributor_id text NOT NULL,
      kind text NOT NULL,
      entry_ids jsonb NOT NULL,
      overlap_start timestamptz(3) NOT NULL,
      overlap_end timestamptz(3) NOT NULL,
      detected_at timestamptz(3) NOT NULL,
      resolved boolean NOT NULL,
      resolved_at timestamptz(3)
    )`);
    this.addSql('CREATE INDEX calendar_conflicts_calendar_idx ON calendar_conflicts (tenant_id, calendar_id, overlap_start, conflict_id)');
    this.addSql('CREATE INDEX calendar_conflicts_open_idx ON calendar_conflicts (tenant_id, overlap_start, conflict_id) WHERE NOT resolved');
  }
}
