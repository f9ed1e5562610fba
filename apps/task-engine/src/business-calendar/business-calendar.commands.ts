import { Injectable } from '@nestjs/common';
import type { tasksV1 } from '@projectflo/contracts';
import {
  calendarDate,
  type CommandContext,
  echoedInt64,
  expectedVersion,
  ianaTimezone,
  list,
  type RequestContext,
  validate,
} from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import {
  businessCalendarDecider,
  CALENDAR_LIMITS,
  calendarOf,
  TaskEngineStreams,
  type BusinessCalendarState,
} from '@projectflo/task-engine/domain';
import { z } from 'zod';

const setRequest = z.object({
  calendar: z.object(
    {
      timezone: ianaTimezone(),
      workingDays: list(z.number().int().min(1, 'must be an ISO weekday 1..7').max(7, 'must be an ISO weekday 1..7'), CALENDAR_LIMITS.workingDays),
      holidays: list(calendarDate, CALENDAR_LIMITS.holidays),
      version: echoedInt64,
    },
    { invalid_type_error: 'is required', required_error: 'is required' },
  ),
  expectedVersion,
});

function toProto(state: BusinessCalendarState, version: number): tasksV1.BusinessCalendar {
  const calendar = calendarOf(state);
  return { timezone: calendar.timezone, workingDays: [...calendar.workingDays], holidays: [...calendar.holidays], version: String(version) };
}

@Injectable()
export class BusinessCalendarCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async set(ctx: CommandContext, request: tasksV1.SetBusinessCalendarRequest): Promise<tasksV1.SetBusinessCalendarResponse> {
    const { calendar, expectedVersion: version } = validate(setRequest, request);
    const result = await this.executor.run(
      businessCalendarDecider,
      TaskEngineStreams.businessCalendar(ctx.tenantId),
      {
        type: 'SetBusinessCalendar',
        data: { calendar: { timezone: calendar.timezone, workingDays: calendar.workingDays, holidays: calendar.holidays } },
      },
      { context: ctx, expectedVersion: version },
    );
    return { calendar: toProto(result.state, result.version) };
  }

  async get(ctx: RequestContext): Promise<tasksV1.GetBusinessCalendarResponse> {
    const { state, version } = await this.executor.load(businessCalendarDecider, TaskEngineStreams.businessCalendar(ctx.tenantId), ctx.tenantId);
    return { calendar: toProto(state, version) };
  }
}
