import { assertNever, type CommandMetadata, defineDecider, DomainError } from '@projectflo/platform/core';
import { DateTime } from 'luxon';
import type { NotificationChannel } from '../rules/notification-rules.events';
import type { DeliveryCommand } from './delivery.commands';
import type { DeliveryEvent, DeliveryRequested } from './delivery.events';

/**
 * One delivery (stream `delivery-<deliveryId>`), recorded by the delivery workflow's activities.
 * Every command is idempotent, because activities run at least once: asking again for what
 * happened already records nothing; a terminal delivery (delivered, failed, suppressed) takes no
 * other outcome. Delivery ids are kept for good: the stream stays in the event store, so a trigger
 * redelivered years later still finds its delivery.
 */
export const DELIVERY_STATUSES = ['requested', 'deferred', 'delivered', 'failed', 'suppressed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A failure reason is kept to this many characters (it never holds an address or a secret). */
export const MAX_REASON_LENGTH = 500;

export interface DeliveryState {
  readonly request: DeliveryRequested['data'] | null;
  readonly status: DeliveryStatus | null;
  readonly channel: NotificationChannel | null;
  readonly attemptsFailed: readonly number[];
}

export const initialDeliveryState = (): DeliveryState => ({ request: null, status: null, channel: null, attemptsFailed: [] });

export function evolveDelivery(state: DeliveryState, event: DeliveryEvent): DeliveryState {
  switch (event.type) {
    case 'DeliveryRequested':
      return { ...state, request: event.data, status: 'requested', channel: event.data.channel };
    case 'DeliveryDeferred':
      return { ...state, status: 'deferred' };
    case 'DeliveryAttemptFailed':
      return { ...state, attemptsFailed: [...state.attemptsFailed, event.data.attempt] };
    case 'DeliveryFellBack':
      return { ...state, channel: event.data.toChannel, status: 'requested', attemptsFailed: [] };
    case 'Delivered':
      return { ...state, status: 'delivered' };
    case 'DeliveryFailed':
      return { ...state, status: 'failed' };
    case 'DeliverySuppressed':
      return { ...state, status: 'suppressed' };
    default:
      return assertNever(event, 'delivery event');
  }
}

const TERMINAL: readonly DeliveryStatus[] = ['delivered', 'failed', 'suppressed'];
const isoAt = (metadata: CommandMetadata): string => DateTime.fromJSDate(metadata.now, { zone: 'utc' }).toISO() ?? metadata.now.toISOString();
const reasonText = (reason: string): string => (reason.trim() === '' ? 'unknown' : [...reason.trim()].slice(0, MAX_REASON_LENGTH).join(''));

function open(state: DeliveryState): { readonly tenantId: string; readonly deliveryId: string; readonly channel: NotificationChannel } {
  if (!state.request || !state.channel) throw DomainError.notFound('delivery', 'unknown');
  return { tenantId: state.request.tenantId, deliveryId: state.request.deliveryId, channel: state.channel };
}

function decide(command: DeliveryCommand, state: DeliveryState): DeliveryEvent[] {
  const at = isoAt(command.metadata);
  if (command.type === 'RequestDelivery') {
    if (state.request) return [];
    return [{ type: 'DeliveryRequested', data: { ...command.data, tenantId: command.metadata.tenantId, requestedAt: at } }];
  }
  const { tenantId, deliveryId, channel } = open(state);
  const ended = state.status !== null && TERMINAL.includes(state.status);
  switch (command.type) {
    case 'DeferDelivery':
      return ended || state.status === 'deferred' ? [] : [{ type: 'DeliveryDeferred', data: { tenantId, deliveryId, until: command.data.until, reason: 'quiet_hours', deferredAt: at } }];
    case 'RecordAttemptFailure':
      return ended || state.attemptsFailed.includes(command.data.attempt)
        ? []
        : [{ type: 'DeliveryAttemptFailed', data: { tenantId, deliveryId, channel, attempt: command.data.attempt, reason: reasonText(command.data.reason), failedAt: at } }];
    case 'FallBack':
      return ended || channel === command.data.toChannel
        ? []
        : [{ type: 'DeliveryFellBack', data: { tenantId, deliveryId, fromChannel: channel, toChannel: command.data.toChannel, reason: reasonText(command.data.reason), fellBackAt: at } }];
    case 'RecordDelivered':
      return ended ? [] : [{ type: 'Delivered', data: { tenantId, deliveryId, channel, providerMessageId: command.data.providerMessageId, deliveredAt: at } }];
    case 'RecordDeliveryFailure':
      return ended ? [] : [{ type: 'DeliveryFailed', data: { tenantId, deliveryId, channel, reason: reasonText(command.data.reason), failedAt: at } }];
    case 'SuppressDelivery':
      return ended ? [] : [{ type: 'DeliverySuppressed', data: { tenantId, deliveryId, reason: command.data.reason, suppressedAt: at } }];
    default:
      return assertNever(command, 'delivery command');
  }
}

export const deliveryDecider = defineDecider<DeliveryState, DeliveryCommand, DeliveryEvent>({
  aggregate: 'delivery',
  schemaVersions: {
    DeliveryRequested: 1,
    DeliveryDeferred: 1,
    DeliveryAttemptFailed: 1,
    DeliveryFellBack: 1,
    Delivered: 1,
    DeliveryFailed: 1,
    DeliverySuppressed: 1,
  },
  initialState: initialDeliveryState,
  evolve: evolveDelivery,
  decide,
});
