import { Injectable } from '@nestjs/common';
import { type notificationInboxV1, notificationsInboxEventsV1 } from '@projectflo/contracts';
import { type CommandMetadata, DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { type CommandContext, idRequestSchema, requiredTimestamp, text, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { NotificationsStreams } from '../notifications.streams';
import type { InAppInboxPort, InAppMessage } from '../deliveries/delivery.ports';
import { inboxItemDecider } from './inbox-item.decider';
import type { InboxItemCommand } from './inbox-item.events';
import { InboxQueries, inboxItemToProto } from './inbox.queries';
import { evolveInboxItemRow } from './inbox.view';

const { INBOX_BODY_MAX, INBOX_LINK_MAX, INBOX_TITLE_MAX } = notificationsInboxEventsV1;

const snoozeRequest = z.object({ itemId: text(128, { required: true }), until: requiredTimestamp });

/** Text cut to `max` code points (a rendered message longer than the inbox keeps). */
const cut = (value: string, max: number) => [...value].slice(0, max).join('');

/**
 * The in-app inbox's commands: `deliver` is the in-app channel of the delivery workflow
 * (idempotent by the delivery id, which is the item id); the others are the recipient's own, on
 * their own items only.
 */
@Injectable()
export class InboxCommands implements InAppInboxPort {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: InboxQueries,
  ) {}

  async deliver(metadata: CommandMetadata, message: InAppMessage): Promise<{ itemId: string }> {
    await this.executor.run(
      inboxItemDecider,
      NotificationsStreams.inboxItem(message.deliveryId),
      {
        type: 'DeliverToInbox',
        data: {
          itemId: message.deliveryId,
          recipientId: message.recipientId,
          ruleId: message.ruleId,
          title: cut(message.title.trim() || '(no subject)', INBOX_TITLE_MAX),
          body: cut(message.body, INBOX_BODY_MAX),
          link: message.link ? cut(message.link, INBOX_LINK_MAX) : null,
          taskId: message.taskId ?? null,
        },
      },
      { metadata },
    );
    return { itemId: message.deliveryId };
  }

  markRead(ctx: CommandContext, request: notificationInboxV1.MarkNotificationReadRequest): Promise<notificationInboxV1.MarkNotificationReadResponse> {
    const { itemId } = validate(idRequestSchema('itemId'), request);
    return this.act(ctx, { type: 'MarkNotificationRead', data: { itemId, recipientId: ctx.actorId } });
  }

  archive(ctx: CommandContext, request: notificationInboxV1.ArchiveNotificationRequest): Promise<notificationInboxV1.ArchiveNotificationResponse> {
    const { itemId } = validate(idRequestSchema('itemId'), request);
    return this.act(ctx, { type: 'ArchiveNotification', data: { itemId, recipientId: ctx.actorId } });
  }

  snooze(ctx: CommandContext, request: notificationInboxV1.SnoozeNotificationRequest): Promise<notificationInboxV1.SnoozeNotificationResponse> {
    const { itemId, until } = validate(snoozeRequest, request);
    return this.act(ctx, { type: 'SnoozeNotification', data: { itemId, recipientId: ctx.actorId, until } });
  }

  /**
   * Marks the caller's unread items read, up to MARK_ALL_BATCH per call (the reply says how many;
   * call again while it is the batch size). The items are those the unread list shows; one read
   * meanwhile (another device) is skipped.
   */
  async markAllRead(ctx: CommandContext): Promise<notificationInboxV1.MarkAllNotificationsReadResponse> {
    let marked = 0;
    for (const itemId of await this.queries.unreadIds(ctx)) {
      try {
        const { events } = await this.executor.run(inboxItemDecider, NotificationsStreams.inboxItem(itemId), { type: 'MarkNotificationRead', data: { itemId, recipientId: ctx.actorId } }, { context: ctx });
        marked += events.length > 0 ? 1 : 0;
      } catch (error) {
        if (!(error instanceof DomainError && error.code === DomainErrorCode.FailedPrecondition)) throw error;
      }
    }
    return { marked };
  }

  private async act(ctx: CommandContext, intent: Omit<InboxItemCommand, 'metadata'>): Promise<{ item: notificationInboxV1.InboxItem }> {
    const { view } = await this.executor.run(inboxItemDecider, NotificationsStreams.inboxItem(intent.data.itemId), intent as InboxItemCommand, { context: ctx, view: evolveInboxItemRow });
    if (!view) throw DomainError.notFound('notification', intent.data.itemId);
    return { item: inboxItemToProto(view) };
  }
}
