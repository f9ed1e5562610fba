import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { notificationsV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { type RequestContext, instantPage, text, toTimestamp, validate, type PageCursor, toPage } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { type ChannelName, type NotificationView, NotificationViewSchema } from './notification.entities';

const CHANNEL_TO_PROTO: Readonly<Record<ChannelName, notificationsV1.Channel>> = {
  in_app: notificationsV1.Channel.CHANNEL_IN_APP,
  email: notificationsV1.Channel.CHANNEL_EMAIL,
  sms: notificationsV1.Channel.CHANNEL_SMS,
  push: notificationsV1.Channel.CHANNEL_PUSH,
  slack: notificationsV1.Channel.CHANNEL_SLACK,
};

/** The longest actor id (x-actor-id) a recipient can have. */
const MAX_RECIPIENT_ID = 128;

const listNotificationsSchema = z.object({
  recipientId: text(MAX_RECIPIENT_ID),
  unreadOnly: z.boolean(),
  page: instantPage,
});

export function toNotification(row: NotificationView): notificationsV1.Notification {
  return {
    notificationId: row.id,
    recipientId: row.recipientId,
    title: row.title,
    body: row.body,
    link: row.link,
    channel: CHANNEL_TO_PROTO[row.channel],
    read: row.readAt !== null,
    createdAt: toTimestamp(row.createdAt),
    ...(row.readAt ? { readAt: toTimestamp(row.readAt) } : {}),
  };
}

const cursorOf = (row: NotificationView): PageCursor => ({ at: row.createdAt, id: row.id });

/** The in-app inbox read model, tenant-scoped. */
@Injectable()
export class NotificationQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  /** One notification of the caller's tenant; NOT_FOUND for an unknown id or another tenant's. */
  async getNotification(context: RequestContext, notificationId: string): Promise<NotificationView> {
    const row = await withTenantScope(this.orm, context.tenantId, (tx) => tx.em.findOne(NotificationViewSchema, { id: notificationId }));
    if (!row) throw DomainError.notFound('notification', notificationId);
    return row;
  }

  /** A recipient's inbox (the caller's when recipient_id is empty), newest first. */
  async listNotifications(context: RequestContext, request: notificationsV1.ListNotificationsRequest): Promise<notificationsV1.ListNotificationsResponse> {
    const filter = validate(listNotificationsSchema, request);
    const window = filter.page;
    const where: FilterQuery<NotificationView>[] = [{ recipientId: filter.recipientId || context.actorId }];
    if (filter.unreadOnly) where.push({ readAt: null });
    if (window.after) {
      const { at, id } = window.after;
      where.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: id } }] });
    }
    const rows = await withTenantScope(this.orm, context.tenantId, (tx) =>
      tx.em.find(NotificationViewSchema, { $and: where }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: window.size + 1 }),
    );
    const { items, nextPageToken } = toPage(rows, window, cursorOf);
    return { notifications: items.map(toNotification), page: { nextPageToken } };
  }
}
