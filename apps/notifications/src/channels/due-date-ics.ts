import ical, { ICalAlarmType, ICalCalendarMethod } from 'ical-generator';
import type { OutboundAttachment } from './channel-adapter';

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8; method=PUBLISH';

export interface DueDateIcsInput {
  readonly taskId: string;
  readonly title: string;
  /** The task's due instant. */
  readonly dueAt: Date;
  /** When this version was produced (the reminder's firing time): the event's DTSTAMP. */
  readonly stampedAt: Date;
  readonly description?: string;
  readonly url?: string;
}

/**
 * The .ics attachment of a due-date reminder (RFC 5545, ical-generator): one VEVENT at the due
 * instant, written in UTC (right in every reader's zone, no VTIMEZONE), with a UID stable per task
 * (`task-<id>@projectflo`) and SEQUENCE from the time it was produced, so a moved due date updates the entry
 * the reader already imported instead of adding a second one. A display alarm at the due time.
 */
export function dueDateIcs(input: DueDateIcsInput): OutboundAttachment {
  const calendar = ical({
    prodId: { company: 'ProjectFlo', product: 'task-reminders', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  const event = calendar.createEvent({
    id: `task-${input.taskId}@projectflo`,
    // Each later version (a later reminder, a moved due date) has a higher sequence; seconds since 2020 fit 32 bits until 2088.
    sequence: Math.max(0, Math.floor((input.stampedAt.getTime() - Date.UTC(2020, 0, 1)) / 1000)),
    stamp: input.stampedAt,
    start: input.dueAt,
    end: input.dueAt,
    summary: `Due: ${input.title}`,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.url !== undefined ? { url: input.url } : {}),
  });
  event.createAlarm({ type: ICalAlarmType.display, trigger: 0, description: `Due: ${input.title}` });
  return { filename: 'due-date.ics', contentType: ICS_CONTENT_TYPE, content: calendar.toString() };
}
