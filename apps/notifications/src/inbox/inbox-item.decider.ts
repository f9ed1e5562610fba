import { assertNever, defineDecider, DomainError, Violations } from '@projectflo/platform/core';
import type { InboxItemCommand, InboxItemEvent, NotificationReceived } from './inbox-item.events';

/** A snooze ends at most this far ahead. */
export const MAX_SNOOZE_MS = 366 * 24 * 3600 * 1000;

export interface InboxItemState {
  readonly item: NotificationReceived['data'] | null;
  readonly read: boolean;
  readonly archived: boolean;
}

const initialState = (): InboxItemState => ({ item: null, read: false, archived: false });

function evolve(state: InboxItemState, event: InboxItemEvent): InboxItemState {
  switch (event.type) {
    case 'NotificationReceived':
      return { ...state, item: event.data };
    case 'NotificationRead':
      return { ...state, read: true };
    case 'NotificationArchived':
      return { ...state, archived: true };
    case 'NotificationSnoozed':
      return state;
    default:
      return assertNever(event, 'inbox item event');
  }
}

/** The item as its recipient may act on it: another user's item (or none) is NOT_FOUND. */
function ownItem(state: InboxItemState, itemId: string, recipientId: string) {
  if (!state.item || state.item.recipientId !== recipientId) throw DomainError.notFound('notification', itemId);
  return { tenantId: state.item.tenantId, itemId: state.item.itemId, recipientId };
}

/**
 * One in-app notification (stream `inbox-item-<itemId>`). Delivering it again is a no-op (the
 * item id is the delivery id, so a redelivered trigger or a retried activity adds nothing); only
 * its recipient reads, archives or snoozes it; reading what is read, archiving what is archived
 * or snoozing what is archived is FAILED_PRECONDITION.
 */
function decide(command: InboxItemCommand, state: InboxItemState): InboxItemEvent[] {
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'DeliverToInbox': {
      if (state.item) return [];
      const v = new Violations();
      const title = v.text('title', command.data.title, { max: 200, required: true });
      const body = v.text('body', command.data.body, { max: 4000 });
      v.throwIfAny();
      return [{ type: 'NotificationReceived', data: { ...command.data, title, body, tenantId: command.metadata.tenantId, receivedAt: at } }];
    }
    case 'MarkNotificationRead': {
      const own = ownItem(state, command.data.itemId, command.data.recipientId);
      if (state.read) throw DomainError.precondition('the notification is already read');
      return [{ type: 'NotificationRead', data: { ...own, readAt: at } }];
    }
    case 'ArchiveNotification': {
      const own = ownItem(state, command.data.itemId, command.data.recipientId);
      if (state.archived) throw DomainError.precondition('the notification is already archived');
      return [{ type: 'NotificationArchived', data: { ...own, archivedAt: at } }];
    }
    case 'SnoozeNotification': {
      const own = ownItem(state, command.data.itemId, command.data.recipientId);
      const until = command.data.until.getTime();
      const now = command.metadata.now.getTime();
      const v = new Violations();
      v.check(until > now, 'until', 'must be in the future');
      v.check(until <= now + MAX_SNOOZE_MS, 'until', 'must be at most 366 days ahead');
      v.throwIfAny();
      if (state.archived) throw DomainError.precondition('the notification is archived');
      return [{ type: 'NotificationSnoozed', data: { ...own, until: command.data.until.toISOString(), snoozedAt: at } }];
    }
    default:
      return assertNever(command, 'inbox item command');
  }
}

export const inboxItemDecider = defineDecider<InboxItemState, InboxItemCommand, InboxItemEvent>({
  aggregate: 'inbox-item',
  schemaVersions: { NotificationReceived: 1, NotificationRead: 1, NotificationArchived: 1, NotificationSnoozed: 1 },
  initialState,
  evolve,
  decide,
});
