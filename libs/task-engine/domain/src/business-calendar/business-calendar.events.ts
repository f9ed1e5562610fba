import type { DomainEvent } from '@projectflo/platform/core';

/** The whole calendar, normalised (weekdays and holidays sorted, without repeats). */
export type BusinessCalendarSet = DomainEvent<
  'BusinessCalendarSet',
  {
    readonly tenantId: string;
    readonly timezone: string;
    readonly workingDays: readonly number[];
    readonly holidays: readonly string[];
    readonly setBy: string;
    readonly setAt: string;
  }
>;

export type BusinessCalendarEvent = BusinessCalendarSet;
