import type { EntityManager, EntitySchema, FilterQuery, RequiredEntityData } from '@mikro-orm/postgresql';
import type { RecordedEvent, ViewFold } from '@projectflo/platform/core';
import { rowProjection } from '@projectflo/platform/persistence';
import { SCHEDULING_CONTRIBUTOR_CALENDAR_EVENT_TYPES } from './calendars.mapping';
import { CalendarConflictSchema, CalendarEntrySchema, ContributorCalendarSchema } from './calendars.entities';
import { conflictIdOf, entryIdOf, evolveCalendarConflictRow, evolveCalendarEntryRow, evolveContributorCalendarRow } from './calendars.view';

/**
 * Contributor calendars: the calendar row (rowProjection, idempotent by the stream version), and
 * beside it the entry and conflict rows its events fold, written only once the calendar row took
 * the event.
 */
export const contributorCalendarProjection = rowProjection({
  name: 'scheduling-contributor-calendars',
  handles: SCHEDULING_CONTRIBUTOR_CALENDAR_EVENT_TYPES,
  entity: ContributorCalendarSchema,
  table: 'contributor_calendars',
  key: (event) => ({ calendarId: (event.data as { calendarId: string }).calendarId }),
  fold: evolveContributorCalendarRow,
  alongside: { tables: ['calendar_entries', 'calendar_conflicts'], apply: applyToEntriesAndConflicts },
});

async function applyToEntriesAndConflicts(em: EntityManager, event: RecordedEvent): Promise<void> {
  const entryId = entryIdOf(event);
  if (entryId !== undefined) await foldRow(em, CalendarEntrySchema, { entryId }, evolveCalendarEntryRow, event);
  const conflictId = conflictIdOf(event);
  if (conflictId !== undefined) await foldRow(em, CalendarConflictSchema, { conflictId }, evolveCalendarConflictRow, event);
}

/** Loads the row `key` names, folds the event onto it and keeps the result. */
async function foldRow<Row extends object>(em: EntityManager, entity: EntitySchema<Row>, key: FilterQuery<Row>, fold: ViewFold<Row>, event: RecordedEvent): Promise<void> {
  const current = (await em.findOne(entity, key)) ?? undefined;
  const next = fold(current ? { ...current } : undefined, event);
  if (!next) return;
  if (current) Object.assign(current, next);
  else em.create(entity, next as RequiredEntityData<Row>);
}
