import type { ViewFold } from '@projectflo/platform/core';
import type { InboxItemEvent } from './inbox-item.events';

/** One item of a user's in-app inbox as its events leave it. */
export interface InboxItemRow {
  itemId: string;
  tenantId: string;
  recipientId: string;
  ruleId: string;
  title: string;
  body: string;
  link: string | null;
  taskId: string | null;
  receivedAt: Date;
  readAt: Date | null;
  archivedAt: Date | null;
  snoozedUntil: Date | null;
  version: number;
}

/** The row after one more event of its stream: the projection stores it, commands reply with it, a rebuild replays it. */
export const evolveInboxItemRow: ViewFold<InboxItemRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as InboxItemEvent;
  const version = recorded.streamPosition;
  if (event.type === 'NotificationReceived') {
    const d = event.data;
    return {
      itemId: d.itemId,
      tenantId: d.tenantId,
      recipientId: d.recipientId,
      ruleId: d.ruleId,
      title: d.title,
      body: d.body,
      link: d.link,
      taskId: d.taskId,
      receivedAt: new Date(d.receivedAt),
      readAt: null,
      archivedAt: null,
      snoozedUntil: null,
      version,
    };
  }
  if (!row) return undefined;
  switch (event.type) {
    case 'NotificationRead':
      return { ...row, readAt: new Date(event.data.readAt), version };
    case 'NotificationArchived':
      return { ...row, archivedAt: new Date(event.data.archivedAt), version };
    case 'NotificationSnoozed':
      return { ...row, snoozedUntil: new Date(event.data.until), version };
    default:
      return { ...row, version };
  }
};
