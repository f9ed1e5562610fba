import { z } from 'zod';
import { id, instant, requiredText, text } from './payload-fields';

/*
 * Payload schemas of the events on `notifications.inbox.v1` (key: the inbox item id, which is the
 * in-app delivery's id): one notification in one user's in-app inbox and what its recipient did
 * with it. Rules for change as in crm-lead.v1.ts.
 */

export const NOTIFICATIONS_INBOX_TOPIC_V1 = 'notifications.inbox.v1';

export const INBOX_TITLE_MAX = 200;
export const INBOX_BODY_MAX = 4000;
export const INBOX_LINK_MAX = 2000;

const fact = { tenantId: id, itemId: id, recipientId: id };

export const NotificationReceivedV1 = z.object({
  ...fact,
  ruleId: id,
  title: requiredText(INBOX_TITLE_MAX),
  body: text(INBOX_BODY_MAX),
  link: requiredText(INBOX_LINK_MAX).nullable(),
  taskId: id.nullable(),
  receivedAt: instant,
});
export const NotificationReadV1 = z.object({ ...fact, readAt: instant });
export const NotificationArchivedV1 = z.object({ ...fact, archivedAt: instant });
export const NotificationSnoozedV1 = z.object({ ...fact, until: instant, snoozedAt: instant });

/** Event type → its current schema version and payload schema. */
export const notificationsInboxEventContractsV1 = {
  NotificationReceived: { schemaVersion: 1, schema: NotificationReceivedV1 },
  NotificationRead: { schemaVersion: 1, schema: NotificationReadV1 },
  NotificationArchived: { schemaVersion: 1, schema: NotificationArchivedV1 },
  NotificationSnoozed: { schemaVersion: 1, schema: NotificationSnoozedV1 },
} as const;
