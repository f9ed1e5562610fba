import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { notificationInboxV1 } from '@projectflo/contracts';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type RequestContext, instantPage, protoEnum, toPage, toTimestamp, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { InboxItemSchema } from './inbox.entities';
import type { InboxItemRow } from './inbox.view';

/** How many items MarkAllNotificationsRead marks in one call. */
export const MARK_ALL_BATCH = 500;

const listRequest = z.object({
  filter: z.preprocess((v) => v ?? notificationInboxV1.InboxFilter.INBOX_FILTER_UNSPECIFIED, protoEnum(notificationInboxV1.InboxFilter)),
  page: instantPage,
});

/**
 * What "unread" means, the one definition the unread list, the unread count and mark-all share:
 * the caller's, not read, not archived, and not snoozed past `now`.
 */
export function unreadWhere(ctx: RequestContext, now: Date): FilterQuery<InboxItemRow> {
  return {
    tenantId: ctx.tenantId,
    recipientId: ctx.actorId,
    readAt: null,
    archivedAt: null,
    $or: [{ snoozedUntil: null }, { snoozedUntil: { $lte: now } }],
  };
}

function filterWhere(ctx: RequestContext, filter: notificationInboxV1.InboxFilter, now: Date): FilterQuery<InboxItemRow> {
  const own = { tenantId: ctx.tenantId, recipientId: ctx.actorId };
  switch (filter) {
    case notificationInboxV1.InboxFilter.INBOX_FILTER_UNREAD:
      return unreadWhere(ctx, now);
    case notificationInboxV1.InboxFilter.INBOX_FILTER_ARCHIVED:
      return { ...own, archivedAt: { $ne: null } };
    case notificationInboxV1.InboxFilter.INBOX_FILTER_SNOOZED:
      return { ...own, archivedAt: null, snoozedUntil: { $gt: now } };
    default:
      return { ...own, archivedAt: null };
  }
}

export function inboxItemToProto(row: InboxItemRow): notificationInboxV1.InboxItem {
  return {
    itemId: row.itemId,
    ruleId: row.ruleId,
    title: row.title,
    body: row.body,
    link: row.link ?? '',
    taskId: row.taskId ?? '',
    receivedAt: toTimestamp(row.receivedAt),
    readAt: row.readAt ? toTimestamp(row.readAt) : undefined,
    archivedAt: row.archivedAt ? toTimestamp(row.archivedAt) : undefined,
    snoozedUntil: row.snoozedUntil ? toTimestamp(row.snoozedUntil) : undefined,
    version: String(row.version),
  };
}

/** The caller's own inbox (the user of the token), read in the tenant's scope; `now` is the service clock's. */
@Injectable()
export class InboxQueries {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Newest first, keyset-paged on (received_at, item_id). */
  list(ctx: RequestContext, request: notificationInboxV1.ListNotificationsRequest): Promise<notificationInboxV1.ListNotificationsResponse> {
    const { filter, page } = validate(listRequest, request);
    const where: FilterQuery<InboxItemRow>[] = [filterWhere(ctx, filter, this.clock.now())];
    if (page.after) {
      const { at, id } = page.after;
      where.push({ $or: [{ receivedAt: { $lt: at } }, { receivedAt: at, itemId: { $lt: id } }] });
    }
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(InboxItemSchema, { $and: where }, { orderBy: { receivedAt: 'desc', itemId: 'desc' }, limit: page.size + 1 });
      const { items, nextPageToken } = toPage(rows, page, (row) => ({ at: row.receivedAt, id: row.itemId }));
      return { items: items.map(inboxItemToProto), page: { nextPageToken } };
    });
  }

  /** The length of the unread list: the same predicate on the same table. */
  unreadCount(ctx: RequestContext): Promise<notificationInboxV1.GetUnreadCountResponse> {
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => ({ unread: await em.count(InboxItemSchema, unreadWhere(ctx, this.clock.now())) }));
  }

  /** The ids of the caller's unread items, oldest first, at most MARK_ALL_BATCH. */
  unreadIds(ctx: RequestContext): Promise<string[]> {
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(InboxItemSchema, unreadWhere(ctx, this.clock.now()), { orderBy: { receivedAt: 'asc', itemId: 'asc' }, limit: MARK_ALL_BATCH, fields: ['itemId'] });
      return rows.map((r) => r.itemId);
    });
  }
}
