import type { Command, DomainEvent } from '@projectflo/platform/core';

type Of<Type extends string, Data> = DomainEvent<Type, Data & { readonly tenantId: string; readonly itemId: string; readonly recipientId: string }>;

/** One notification in one user's in-app inbox (stream `inbox-item-<itemId>`; the item id is the in-app delivery's id). */
export type NotificationReceived = Of<
  'NotificationReceived',
  { readonly ruleId: string; readonly title: string; readonly body: string; readonly link: string | null; readonly taskId: string | null; readonly receivedAt: string }
>;
export type NotificationRead = Of<'NotificationRead', { readonly readAt: string }>;
export type NotificationArchived = Of<'NotificationArchived', { readonly archivedAt: string }>;
export type NotificationSnoozed = Of<'NotificationSnoozed', { readonly until: string; readonly snoozedAt: string }>;

export type InboxItemEvent = NotificationReceived | NotificationRead | NotificationArchived | NotificationSnoozed;

/** The in-app channel's delivery (H3's delivery workflow): idempotent by the item id. */
export type DeliverToInbox = Command<'DeliverToInbox', Omit<NotificationReceived['data'], 'tenantId' | 'receivedAt'>>;
/** The recipient's own actions; `recipientId` is the caller (an item of anyone else is NOT_FOUND). */
export type MarkNotificationRead = Command<'MarkNotificationRead', { readonly itemId: string; readonly recipientId: string }>;
export type ArchiveNotification = Command<'ArchiveNotification', { readonly itemId: string; readonly recipientId: string }>;
export type SnoozeNotification = Command<'SnoozeNotification', { readonly itemId: string; readonly recipientId: string; readonly until: Date }>;

export type InboxItemCommand = DeliverToInbox | MarkNotificationRead | ArchiveNotification | SnoozeNotification;
