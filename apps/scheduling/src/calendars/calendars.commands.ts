import { Inject, Injectable } from '@nestjs/common';
import type { schedulingCalendarsV1 } from '@projectflo/contracts';
import { type UserDirectory, USER_DIRECTORY } from '@projectflo/platform/auth';
import { deriveId, DomainError } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, ianaTimezone, text, uuid, validate } from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import {
  CALENDAR_LIMITS,
  contributorCalendarDecider,
  contributorCalendarId,
  type ContributorCalendarCommand,
  SchedulingStreams,
} from '@projectflo/scheduling/domain';
import { z } from 'zod';
import { assertCalendarAccess } from './calendar-access';
import { calendarEntryType, conflictToProto, entryTime, entryToProto } from './calendars.mapping';
import { calendarEntryReply } from './calendars.view';

const contributorId = text(CALENDAR_LIMITS.id, { required: true });
const bookRequest = z.object({
  contributorId,
  entryType: calendarEntryType.required,
  title: text(CALENDAR_LIMITS.title, { required: true }),
  time: entryTime,
  timezone: ianaTimezone({ optional: true }),
  projectId: text(CALENDAR_LIMITS.id),
  buildId: text(CALENDAR_LIMITS.id),
  rejectOnConflict: z.boolean(),
});
const moveRequest = z.object({
  contributorId,
  entryId: uuid,
  time: entryTime,
  timezone: ianaTimezone({ optional: true }),
  rejectOnConflict: z.boolean(),
  expectedVersion,
});
const cancelRequest = z.object({ contributorId, entryId: uuid, reason: text(CALENDAR_LIMITS.reason), expectedVersion });

type Reply = { entry?: schedulingCalendarsV1.CalendarEntry; conflicts: schedulingCalendarsV1.CalendarConflict[]; calendarVersion: string };

/**
 * Book, move and cancel entries of a contributor's calendar. The caller's own calendar, or anyone's
 * for managers and up (calendar-access.ts); a booking is for an active user of the tenant. Each
 * replies with the entry and its open conflicts as the read model folds them (calendarEntryReply).
 */
@Injectable()
export class CalendarCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
  ) {}

  async book(ctx: CommandContext, request: schedulingCalendarsV1.BookCalendarEntryRequest): Promise<schedulingCalendarsV1.BookCalendarEntryResponse> {
    const { contributorId, time, timezone, ...entry } = validate(bookRequest, request);
    assertCalendarAccess(ctx, contributorId);
    const member = await this.directory.member(ctx.tenantId, contributorId);
    if (!member?.active) throw DomainError.notFound('contributor', contributorId);
    // Derived from the request id: a retried booking finds its own entry instead of making another.
    const entryId = deriveId('calendar-entry', ctx.tenantId, ctx.requestId);
    return this.run(ctx, contributorId, entryId, { type: 'BookCalendarEntry', data: { ...this.target(ctx, contributorId), ...entry, entryId, time, timezone: timezone || 'UTC' } });
  }

  async move(ctx: CommandContext, request: schedulingCalendarsV1.MoveCalendarEntryRequest): Promise<schedulingCalendarsV1.MoveCalendarEntryResponse> {
    const { contributorId, entryId, time, timezone, rejectOnConflict, expectedVersion: version } = validate(moveRequest, request);
    assertCalendarAccess(ctx, contributorId);
    const command = { type: 'MoveCalendarEntry', data: { ...this.target(ctx, contributorId), entryId, time, timezone: timezone || null, rejectOnConflict } } as const;
    return this.run(ctx, contributorId, entryId, command, version);
  }

  async cancel(ctx: CommandContext, request: schedulingCalendarsV1.CancelCalendarEntryRequest): Promise<schedulingCalendarsV1.CancelCalendarEntryResponse> {
    const { contributorId, entryId, reason, expectedVersion: version } = validate(cancelRequest, request);
    assertCalendarAccess(ctx, contributorId);
    const { entry, calendarVersion } = await this.run(ctx, contributorId, entryId, { type: 'CancelCalendarEntry', data: { ...this.target(ctx, contributorId), entryId, reason } }, version);
    return { entry, calendarVersion };
  }

  private target(ctx: CommandContext, contributorId: string) {
    return { calendarId: contributorCalendarId(ctx.tenantId, contributorId), contributorId };
  }

  private async run(ctx: CommandContext, contributorId: string, entryId: string, command: CommandIntent<ContributorCalendarCommand>, version?: number): Promise<Reply> {
    const stream = SchedulingStreams.contributorCalendar(contributorCalendarId(ctx.tenantId, contributorId));
    const result = await this.executor.run(contributorCalendarDecider, stream, command, {
      context: ctx,
      expectedVersion: version,
      view: calendarEntryReply(entryId),
    });
    const reply = result.view;
    return {
      ...(reply?.entry ? { entry: entryToProto(reply.entry) } : {}),
      conflicts: Object.values(reply?.conflicts ?? {})
        .filter((c) => !c.resolved)
        .map(conflictToProto),
      calendarVersion: String(result.version),
    };
  }
}
