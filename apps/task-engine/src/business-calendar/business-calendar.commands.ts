import { Inject, Injectable } from '@nestjs/common';
import type { tasksV1 } from '@projectflo/contracts';
import { type Clock, DomainError } from '@projectflo/platform/core';
import { CLOCK, type CommandContext, expectedVersionOf, type RequestContext, toCommandMetadata } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { SCHEMA_VERSIONS } from '../shared/task-engine.constants';
import { type BusinessCalendarState, businessCalendarDecider, businessCalendarStream, calendarOf } from './business-calendar.decider';

function toProto(state: BusinessCalendarState, version: number): tasksV1.BusinessCalendar {
  const calendar = calendarOf(state);
  return { timezone: calendar.timezone, workingDays: [...calendar.workingDays], holidays: [...calendar.holidays], version: String(version) };
}

@Injectable()
export class BusinessCalendarCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async set(ctx: CommandContext, request: tasksV1.SetBusinessCalendarRequest): Promise<tasksV1.SetBusinessCalendarResponse> {
    const calendar = request.calendar;
    if (!calendar) throw DomainError.invalid({ field: 'calendar', description: 'is required' });
    const expectedVersion = expectedVersionOf(request.expectedVersion);
    const result = await this.executor.execute(
      businessCalendarDecider,
      businessCalendarStream(ctx.tenantId),
      {
        type: 'SetBusinessCalendar',
        data: { calendar: { timezone: calendar.timezone, workingDays: calendar.workingDays ?? [], holidays: calendar.holidays ?? [] } },
        metadata: toCommandMetadata(ctx, this.clock),
      },
      { aggregate: 'business calendar', schemaVersions: SCHEMA_VERSIONS, ...(expectedVersion !== undefined ? { expectedVersion } : {}) },
    );
    return { calendar: toProto(result.state, result.version) };
  }

  async get(ctx: RequestContext): Promise<tasksV1.GetBusinessCalendarResponse> {
    const { state, version } = await this.executor.load(businessCalendarDecider, businessCalendarStream(ctx.tenantId), ctx.tenantId);
    return { calendar: toProto(state, version) };
  }
}
