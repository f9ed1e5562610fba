import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import type { schedulingCalendarsV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { instantPage, optionalTimestamp, type RequestContext, requiredTimestamp, text, toPage, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { CALENDAR_LIMITS, contributorCalendarId } from '@projectflo/scheduling/domain';
import { z } from 'zod';
import { assertCalendarAccess } from './calendar-access';
import { CALENDAR_FEED_CONTENT_TYPE, calendarFeed } from './calendar-feed';
import { CalendarConflictSchema, CalendarEntrySchema, type CalendarConflictRow, type CalendarEntryRow } from './calendars.entities';
import { conflictToProto, entryToProto } from './calendars.mapping';

/** The widest range a list or a feed covers. */
const MAX_RANGE_DAYS = 400;
/** The most entries one feed holds. */
export const MAX_FEED_ENTRIES = 2_000;

const withinRange = (range: { from?: Date | undefined; to?: Date | undefined }, ctx: z.RefinementCtx) => {
  if (!range.from || !range.to) return;
  if (range.to <= range.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  else if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after from` });
};
const requiredRange = { from: requiredTimestamp, to: requiredTimestamp };
const contributorId = text(CALENDAR_LIMITS.id, { required: true });

const listEntriesRequest = z.object({ contributorId, ...requiredRange, includeCancelled: z.boolean(), page: instantPage }).superRefine(withinRange);
const listConflictsRequest = z
  .object({ contributorId: text(CALENDAR_LIMITS.id), from: optionalTimestamp, to: optionalTimestamp, includeResolved: z.boolean(), page: instantPage })
  .superRefine((range, ctx) => {
    if ((range.from === undefined) !== (range.to === undefined)) ctx.addIssue({ code: 'custom', path: [range.from ? 'to' : 'from'], message: 'is required with the other end of the range' });
    withinRange(range, ctx);
  });
const feedRequest = z.object({ contributorId, ...requiredRange }).superRefine(withinRange);

/** Contributor calendars from the read model (calendar_entries, calendar_conflicts), inside the caller's tenant. */
@Injectable()
export class CalendarQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  /** Entries overlapping [from, to), earliest first. */
  async listEntries(ctx: RequestContext, request: schedulingCalendarsV1.ListCalendarEntriesRequest): Promise<schedulingCalendarsV1.ListCalendarEntriesResponse> {
    const { contributorId: contributor, from, to, includeCancelled, page } = validate(listEntriesRequest, request);
    assertCalendarAccess(ctx, contributor);
    const after = page.after;
    const where: FilterQuery<CalendarEntryRow> = {
      calendarId: contributorCalendarId(ctx.tenantId, contributor),
      startsAt: { $lt: to },
      endsAt: { $gt: from },
      ...(includeCancelled ? {} : { status: 'confirmed' }),
      ...(after ? { $or: [{ startsAt: { $gt: after.at } }, { startsAt: after.at, entryId: { $gt: after.id } }] } : {}),
    };
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(CalendarEntrySchema, where, { orderBy: { startsAt: 'asc', entryId: 'asc' }, limit: page.size + 1 });
      const { items, nextPageToken } = toPage(rows, page, (row) => ({ at: row.startsAt, id: row.entryId }));
      return { entries: items.map(entryToProto), page: { nextPageToken } };
    });
  }

  /** Conflicts of one contributor, or of every contributor, by the start of their overlap. */
  async listConflicts(ctx: RequestContext, request: schedulingCalendarsV1.ListCalendarConflictsRequest): Promise<schedulingCalendarsV1.ListCalendarConflictsResponse> {
    const { contributorId: contributor, from, to, includeResolved, page } = validate(listConflictsRequest, request);
    if (contributor !== '') assertCalendarAccess(ctx, contributor);
    const after = page.after;
    const where: FilterQuery<CalendarConflictRow> = {
      ...(contributor !== '' ? { calendarId: contributorCalendarId(ctx.tenantId, contributor) } : {}),
      ...(from && to ? { overlapStart: { $lt: to }, overlapEnd: { $gt: from } } : {}),
      ...(includeResolved ? {} : { resolved: false }),
      ...(after ? { $or: [{ overlapStart: { $gt: after.at } }, { overlapStart: after.at, conflictId: { $gt: after.id } }] } : {}),
    };
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(CalendarConflictSchema, where, { orderBy: { overlapStart: 'asc', conflictId: 'asc' }, limit: page.size + 1 });
      const { items, nextPageToken } = toPage(rows, page, (row) => ({ at: row.overlapStart, id: row.conflictId }));
      return { conflicts: items.map(conflictToProto), page: { nextPageToken } };
    });
  }

  /** The contributor's entries overlapping [from, to), cancelled ones included, as an iCalendar feed. */
  async feed(ctx: RequestContext, request: schedulingCalendarsV1.GetCalendarFeedRequest): Promise<schedulingCalendarsV1.GetCalendarFeedResponse> {
    const { contributorId: contributor, from, to } = validate(feedRequest, request);
    assertCalendarAccess(ctx, contributor);
    const rows = await withTenantScope(this.orm, ctx.tenantId, ({ em }) =>
      em.find(
        CalendarEntrySchema,
        { calendarId: contributorCalendarId(ctx.tenantId, contributor), startsAt: { $lt: to }, endsAt: { $gt: from } },
        { orderBy: { startsAt: 'asc', entryId: 'asc' }, limit: MAX_FEED_ENTRIES + 1 },
      ),
    );
    if (rows.length > MAX_FEED_ENTRIES) {
      throw DomainError.precondition(`the range holds more than ${MAX_FEED_ENTRIES} entries: ask for a shorter one`, { contributorId: contributor });
    }
    return { ics: calendarFeed(contributor, rows), contentType: CALENDAR_FEED_CONTENT_TYPE, entryCount: rows.length };
  }
}
