import type { StoredRule } from '../rules/notification-rules.decider';
import type { NotificationChannel, NotificationTrigger } from '../rules/notification-rules.events';
import type { SuppressionReason } from './delivery.events';

/**
 * One notification: a rule matched by one occurrence of its trigger on one task. The trigger
 * consumer records it (notification_requests) and the dispatcher starts its workflow, whose
 * business id derives from (rule, task, occurrence): however often the trigger arrives, one
 * workflow, and per recipient one delivery.
 */
export interface NotificationInput {
  readonly tenantId: string;
  readonly notificationId: string;
  /** The rule as it was when the trigger arrived. */
  readonly rule: StoredRule;
  readonly trigger: NotificationTrigger;
  readonly taskId: string;
  readonly occurrence: string;
  /** The reminder's offset (ReminderDue), else null. */
  readonly reminderKey: string | null;
  /** The event that caused it (metadata: correlation and causation). */
  readonly causeEventId: string;
  readonly correlationId: string | null;
  /** When the trigger happened (its event's time): the digest window it belongs to. Absent in runs started before digests. */
  readonly triggeredAt?: string;
  /** Set on a digest's own delivery: the tasks it lists. */
  readonly digest?: DigestContent;
}

/** One task a digest lists. */
export interface DigestItem {
  readonly taskId: string;
  readonly occurrence: string;
  readonly reminderKey: string | null;
}

export interface DigestContent {
  readonly windowStart: string;
  readonly items: readonly DigestItem[];
}

/** A digest: one message of a rule to one recipient for one window; its workflow collects items by signal until the window ends. */
export interface DigestInput {
  readonly input: NotificationInput;
  readonly recipient: ResolvedRecipient;
  readonly windowStart: string;
  readonly windowEnd: string;
}

export interface ResolvedRecipient {
  readonly userId: string;
  readonly deliveryId: string;
}

export type ResolveOutcome =
  | { readonly kind: 'recipients'; readonly recipients: readonly ResolvedRecipient[] }
  /** The task is not of the rule's template: the rule does not apply. */
  | { readonly kind: 'not_applicable'; readonly reason: string };

/** What the recipient's preferences make of a delivery. */
export type PrepareOutcome =
  | { readonly kind: 'send' }
  | { readonly kind: 'suppressed'; readonly reason: SuppressionReason }
  /** Quiet hours: send at `until` (recorded as DeliveryDeferred). */
  | { readonly kind: 'wait'; readonly until: string };

export interface DeliveryStepInput {
  readonly input: NotificationInput;
  readonly recipient: ResolvedRecipient;
}

export interface SendInput extends DeliveryStepInput {
  readonly channel: NotificationChannel;
}

export interface NotificationActivities {
  /** Finds the recipients (waiting, by failing retryably, for facts that have not arrived) and records a DeliveryRequested for each. */
  resolveRecipients(input: NotificationInput): Promise<ResolveOutcome>;
  /** Records that the recipients could not be resolved in time (DeliveryFailed on the notification's own delivery id). */
  recordUnresolved(input: NotificationInput, reason: string): Promise<void>;
  /** Applies the recipient's preferences: suppression (recorded) or the end of quiet hours (recorded as deferral). */
  prepareDelivery(step: DeliveryStepInput): Promise<PrepareOutcome>;
  /** Renders in the recipient's zone and locale and sends on `channel`; records Delivered, or each transient failure before rethrowing it. */
  sendDelivery(step: SendInput): Promise<{ readonly providerMessageId: string }>;
  /** Records an SMS's fallback to email. */
  recordFallBack(step: DeliveryStepInput, reason: string): Promise<void>;
  /** Records a permanent failure with its reason. */
  recordFailure(step: DeliveryStepInput, reason: string): Promise<void>;
  /** Adds the notification's task to its recipient's digest for the window (signalWithStart of digestWorkflow). */
  addToDigest(step: DeliveryStepInput): Promise<void>;
  /** Records the digest's DeliveryRequested once its window has ended. */
  requestDigestDelivery(step: DeliveryStepInput): Promise<void>;
}

export const DIGEST_ITEM_SIGNAL = 'digestItem';
export const DIGEST_WORKFLOW_TYPE = 'digestWorkflow';

/** The ApplicationFailure type of a permanent delivery failure (never retried). */
export const PERMANENT_DELIVERY_FAILURE = 'PermanentDeliveryError';
/** The ApplicationFailure type of a fact not yet known (retried until the resolve timeout). */
export const FACT_MISSING = 'FactMissing';

export interface NotificationSummary {
  readonly outcome: 'delivered' | 'not_applicable' | 'unresolved' | 'digested';
  readonly deliveries: readonly { readonly deliveryId: string; readonly outcome: 'delivered' | 'failed' | 'suppressed' }[];
}
