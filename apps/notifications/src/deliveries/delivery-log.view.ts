import type { StreamEvent, ViewFold } from '@projectflo/platform/core';
import type { NotificationChannel } from '../rules/notification-rules.events';
import type { DeliveryStatus } from './delivery.decider';
import type { DeliveryEvent } from './delivery.events';

/** One row of the delivery log: a delivery as its events leave it. */
export interface DeliveryRow {
  deliveryId: string;
  tenantId: string;
  ruleId: string;
  trigger: string;
  subjectId: string;
  occurrence: string;
  recipientId: string | null;
  channel: NotificationChannel;
  status: DeliveryStatus;
  critical: boolean;
  failedAttempts: number;
  /** Why it failed, was suppressed or fell back; '' otherwise. */
  reason: string;
  providerMessageId: string;
  requestedAt: Date;
  updatedAt: Date;
  version: number;
}

/** One step of a delivery (one of its events), as GetDeliveryLog lists them. */
export interface DeliveryStepRow {
  eventId: string;
  tenantId: string;
  deliveryId: string;
  streamPosition: number;
  type: string;
  channel: string;
  detail: string;
  at: Date;
}

/** The row after one more event of its stream: the projection stores it and a rebuild replays it. */
export const evolveDeliveryRow: ViewFold<DeliveryRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as DeliveryEvent;
  const version = recorded.streamPosition;
  if (event.type === 'DeliveryRequested') {
    const d = event.data;
    const requestedAt = new Date(d.requestedAt);
    return row ?? {
      deliveryId: d.deliveryId,
      tenantId: d.tenantId,
      ruleId: d.ruleId,
      trigger: d.trigger,
      subjectId: d.subjectId,
      occurrence: d.occurrence,
      recipientId: d.recipientId,
      channel: d.channel,
      status: 'requested',
      critical: d.critical,
      failedAttempts: 0,
      reason: '',
      providerMessageId: '',
      requestedAt,
      updatedAt: requestedAt,
      version,
    };
  }
  if (!row) return undefined;
  switch (event.type) {
    case 'DeliveryDeferred':
      return { ...row, status: 'deferred', updatedAt: new Date(event.data.deferredAt), version };
    case 'DeliveryAttemptFailed':
      return { ...row, failedAttempts: row.failedAttempts + 1, reason: event.data.reason, updatedAt: new Date(event.data.failedAt), version };
    case 'DeliveryFellBack':
      return { ...row, channel: event.data.toChannel, status: 'requested', reason: event.data.reason, updatedAt: new Date(event.data.fellBackAt), version };
    case 'Delivered':
      return { ...row, channel: event.data.channel, status: 'delivered', providerMessageId: event.data.providerMessageId, updatedAt: new Date(event.data.deliveredAt), version };
    case 'DeliveryFailed':
      return { ...row, status: 'failed', reason: event.data.reason, updatedAt: new Date(event.data.failedAt), version };
    case 'DeliverySuppressed':
      return { ...row, status: 'suppressed', reason: event.data.reason, updatedAt: new Date(event.data.suppressedAt), version };
    default:
      return { ...row, version };
  }
};

/** The step an event records. */
export function deliveryStepOf(recorded: StreamEvent): Omit<DeliveryStepRow, 'eventId' | 'tenantId' | 'streamPosition'> {
  const event = { type: recorded.type, data: recorded.data } as DeliveryEvent;
  const base = { deliveryId: event.data.deliveryId, type: event.type };
  switch (event.type) {
    case 'DeliveryRequested':
      return { ...base, channel: event.data.channel, detail: '', at: new Date(event.data.requestedAt) };
    case 'DeliveryDeferred':
      return { ...base, channel: '', detail: event.data.until, at: new Date(event.data.deferredAt) };
    case 'DeliveryAttemptFailed':
      return { ...base, channel: event.data.channel, detail: `attempt ${event.data.attempt}: ${event.data.reason}`, at: new Date(event.data.failedAt) };
    case 'DeliveryFellBack':
      return { ...base, channel: event.data.toChannel, detail: event.data.reason, at: new Date(event.data.fellBackAt) };
    case 'Delivered':
      return { ...base, channel: event.data.channel, detail: '', at: new Date(event.data.deliveredAt) };
    case 'DeliveryFailed':
      return { ...base, channel: event.data.channel, detail: event.data.reason, at: new Date(event.data.failedAt) };
    case 'DeliverySuppressed':
      return { ...base, channel: '', detail: event.data.reason, at: new Date(event.data.suppressedAt) };
    default: {
      const unknown: never = event;
      throw new Error(`unknown delivery event ${JSON.stringify(unknown)}`);
    }
  }
}
