import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { type schedulingCalendarsV1, schedulingV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { CalendarCommands } from './calendars.commands';
import { CalendarQueries } from './calendars.queries';

const SERVICE = schedulingV1.SCHEDULING_SERVICE_NAME;

/**
 * The contributor calendar RPCs of SchedulingService: each its context plus one call. Scheduling
 * serves its RPCs from one controller per feature, each naming its methods with GrpcMethod (the
 * generated SchedulingServiceControllerMethods decorator wants every RPC on one class).
 */
@Controller()
export class CalendarsGrpcController {
  constructor(
    private readonly commands: CalendarCommands,
    private readonly queries: CalendarQueries,
  ) {}

  @GrpcMethod(SERVICE, 'BookCalendarEntry')
  bookCalendarEntry(request: schedulingCalendarsV1.BookCalendarEntryRequest, metadata?: Metadata) {
    return this.commands.book(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'MoveCalendarEntry')
  moveCalendarEntry(request: schedulingCalendarsV1.MoveCalendarEntryRequest, metadata?: Metadata) {
    return this.commands.move(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'CancelCalendarEntry')
  cancelCalendarEntry(request: schedulingCalendarsV1.CancelCalendarEntryRequest, metadata?: Metadata) {
    return this.commands.cancel(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ListCalendarEntries')
  listCalendarEntries(request: schedulingCalendarsV1.ListCalendarEntriesRequest, metadata?: Metadata) {
    return this.queries.listEntries(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'ListCalendarConflicts')
  listCalendarConflicts(request: schedulingCalendarsV1.ListCalendarConflictsRequest, metadata?: Metadata) {
    return this.queries.listConflicts(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'GetCalendarFeed')
  getCalendarFeed(request: schedulingCalendarsV1.GetCalendarFeedRequest, metadata?: Metadata) {
    return this.queries.feed(queryContext(metadata), request);
  }
}
