import { EntitySchema } from '@mikro-orm/postgresql';
import type { CalendarEntrySpan } from '@projectflo/scheduling/domain';

/** A contributor's calendar: which contributor it is, at which stream version. */
export interface ContributorCalendarRow {
  calendarId: string;
  tenantId: string;
  contributorId: string;
  updatedAt: Date;
  /** Version of the calendar stream. */
  version: number;
}

/** One entry of a calendar, cancelled ones included (the feed tells subscribers about them). */
export interface CalendarEntryRow {
  entryId: string;
  tenantId: string;
  calendarId: string;
  contributorId: string;
  entryType: string;
  title: string;
  span: CalendarEntrySpan;
  timezone: string;
  projectId: string | null;
  buildId: string | null;
  status: 'confirmed' | 'cancelled';
  sequence: number;
  /** The instants the entry occupies, [startsAt, endsAt): what range queries compare. */
  startsAt: Date;
  endsAt: Date;
  bookedAt: Date;
  updatedAt: Date;
}

/** A conflict between two entries, resolved ones included. */
export interface CalendarConflictRow {
  conflictId: string;
  tenantId: string;
  calendarId: string;
  contributorId: string;
  kind: string;
  entryIds: string[];
  overlapStart: Date;
  overlapEnd: Date;
  detectedAt: Date;
  resolved: boolean;
  resolvedAt: Date | null;
}

const datetime = (fieldName: string) => ({ type: 'datetime', fieldName }) as const;

export const ContributorCalendarSchema = new EntitySchema<ContributorCalendarRow>({
  name: 'ContributorCalendarRow',
  tableName: 'contributor_calendars',
  properties: {
    calendarId: { type: 'string', primary: true, fieldName: 'calendar_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    contributorId: { type: 'string', fieldName: 'contributor_id' },
    updatedAt: datetime('updated_at'),
    version: { type: 'integer' },
  },
});

export const CalendarEntrySchema = new EntitySchema<CalendarEntryRow>({
  name: 'CalendarEntryRow',
  tableName: 'calendar_entries',
  properties: {
    entryId: { type: 'string', primary: true, fieldName: 'entry_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    calendarId: { type: 'string', fieldName: 'calendar_id' },
    contributorId: { type: 'string', fieldName: 'contributor_id' },
    entryType: { type: 'string', fieldName: 'entry_type' },
    title: { type: 'text' },
    span: { type: 'json' },
    timezone: { type: 'string' },
    projectId: { type: 'string', fieldName: 'project_id', nullable: true },
    buildId: { type: 'string', fieldName: 'build_id', nullable: true },
    status: { type: 'string' },
    sequence: { type: 'integer' },
    startsAt: datetime('starts_at'),
    endsAt: datetime('ends_at'),
    bookedAt: datetime('booked_at'),
    updatedAt: datetime('updated_at'),
  },
});

export const CalendarConflictSchema = new EntitySchema<CalendarConflictRow>({
  name: 'CalendarConflictRow',
  tableName: 'calendar_conflicts',
  properties: {
    conflictId: { type: 'string', primary: true, fieldName: 'conflict_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    calendarId: { type: 'string', fieldName: 'calendar_id' },
    contributorId: { type: 'string', fieldName: 'contributor_id' },
    kind: { type: 'string' },
    entryIds: { type: 'json', fieldName: 'entry_ids' },
    overlapStart: datetime('overlap_start'),
    overlapEnd: datetime('overlap_end'),
    detectedAt: datetime('detected_at'),
    resolved: { type: 'boolean' },
    resolvedAt: { ...datetime('resolved_at'), nullable: true },
  },
});

/** Every entity of the contributor calendars' read model. */
export const CALENDAR_ENTITIES = [ContributorCalendarSchema, CalendarEntrySchema, CalendarConflictSchema] as const;
