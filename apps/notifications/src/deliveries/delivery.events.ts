import type { DomainEvent } from '@projectflo/platform/core';
import type { NotificationChannel, NotificationTrigger } from '../rules/notification-rules.events';

/** Why a delivery was not sent: the recipient opted out of the channel or muted the rule (critical rules ignore both), or the rule's throttle was used up. */
export const SUPPRESSION_REASONS = ['opted_out', 'muted', 'throttled'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

type Of<Type extends string, Data> = DomainEvent<Type, Data & { readonly tenantId: string; readonly deliveryId: string }>;

/**
 * One message of one rule to one recipient for one occurrence of its trigger. The delivery id is
 * deriveId(rule, subject, occurrence, recipient), so however often the trigger arrives there is one
 * stream and one message. `recipientId` is null only for a notification whose recipients could not
 * be resolved (its DeliveryFailed says why). No address and no secret is ever in an event.
 */
export type DeliveryRequested = Of<
  'DeliveryRequested',
  {
    readonly ruleId: string;
    readonly trigger: NotificationTrigger;
    /** The task the notification is about. */
    readonly subjectId: string;
    /** What makes this trigger one occurrence: `created`, a status-change event id, `P3D@<instant>`, `due@<instant>`. */
    readonly occurrence: string;
    readonly recipientId: string | null;
    readonly channel: NotificationChannel;
    readonly critical: boolean;
    readonly requestedAt: string;
  }
>;

/** Waits until the end of the recipient's quiet hours. */
export type DeliveryDeferred = Of<'DeliveryDeferred', { readonly until: string; readonly reason: 'quiet_hours'; readonly deferredAt: string }>;

/** A transient failure (network, 429, 5xx): retried with backoff. */
export type DeliveryAttemptFailed = Of<
  'DeliveryAttemptFailed',
  { readonly channel: NotificationChannel; readonly attempt: number; readonly reason: string; readonly failedAt: string }
>;

/** An SMS that could not be delivered goes out by email instead (the rule's smsFallbackToEmail). */
export type DeliveryFellBack = Of<
  'DeliveryFellBack',
  { readonly fromChannel: NotificationChannel; readonly toChannel: NotificationChannel; readonly reason: string; readonly fellBackAt: string }
>;

export type Delivered = Of<'Delivered', { readonly channel: NotificationChannel; readonly providerMessageId: string; readonly deliveredAt: string }>;

/** A permanent failure (bad address, 4xx, retries exhausted, recipients not resolvable): recorded with its reason, not retried. */
export type DeliveryFailed = Of<'DeliveryFailed', { readonly channel: NotificationChannel; readonly reason: string; readonly failedAt: string }>;

export type DeliverySuppressed = Of<'DeliverySuppressed', { readonly reason: SuppressionReason; readonly suppressedAt: string }>;

export type DeliveryEvent = DeliveryRequested | DeliveryDeferred | DeliveryAttemptFailed | DeliveryFellBack | Delivered | DeliveryFailed | DeliverySuppressed;
