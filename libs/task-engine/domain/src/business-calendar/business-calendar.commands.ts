import type { Command } from '@projectflo/platform/core';
import type { BusinessCalendar } from '../expansion/business-calendar';

export type SetBusinessCalendar = Command<'SetBusinessCalendar', { readonly calendar: BusinessCalendar }>;

export type BusinessCalendarCommand = SetBusinessCalendar;
