// Workflow code: runs in the Temporal sandbox. Imports types, @temporalio/workflow and the pure
// workflow entry of @projectflo/platform/workflow only.
import { ActivityFailure, ApplicationFailure, defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { NotificationChannel } from '../rules/notification-rules.events';
import {
  DIGEST_ITEM_SIGNAL,
  type DigestInput,
  type DigestItem,
  type NotificationActivities,
  type NotificationInput,
  type NotificationSummary,
  PERMANENT_DELIVERY_FAILURE,
  type ResolvedRecipient,
} from './notification.types';

// Every worker also answers the platform's diagnostics workflow (see libs/platform/service).
export { serviceDiagnosticsWorkflow } from '@projectflo/platform/service';

/** How long recipients may wait for facts that lag (task, lead, user) before the notification is recorded as failed. */
export const RESOLVE_TIMEOUT = '10 minutes';

const resolving = proxyActivities<Pick<NotificationActivities, 'resolveRecipients'>>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: RESOLVE_TIMEOUT,
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 1.5, maximumInterval: '5 seconds' },
});

/** A send: transient failures (network, 429, 5xx) back off up to a minute apart, eight attempts in all; permanent ones stop at once. */
const sending = proxyActivities<Pick<NotificationActivities, 'sendDelivery'>>({
  // Short: a worker killed mid-send is noticed when this expires; the provider gets the delivery id as idempotency key.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8, nonRetryableErrorTypes: [PERMANENT_DELIVERY_FAILURE] },
});

const recording = proxyActivities<Omit<NotificationActivities, 'resolveRecipients' | 'sendDelivery'>>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

function failureReason(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === PERMANENT_DELIVERY_FAILURE) return cause.message;
  if (cause instanceof Error) return `retries exhausted: ${cause.message}`;
  return 'retries exhausted';
}

async function deliverTo(input: NotificationInput, recipient: ResolvedRecipient): Promise<'delivered' | 'failed' | 'suppressed'> {
  const step = { input, recipient };
  const prepared = await recording.prepareDelivery(step);
  if (prepared.kind === 'suppressed') return 'suppressed';
  if (prepared.kind === 'wait') {
    // A durable timer: survives worker and server restarts; never fires early.
    const ms = Date.parse(prepared.until) - Date.now();
    if (ms > 0) await sleep(ms);
  }
  let channel: NotificationChannel = input.rule.channel;
  for (;;) {
    try {
      await sending.sendDelivery({ ...step, channel });
      return 'delivered';
    } catch (error) {
      const reason = failureReason(error);
      if (channel === 'sms' && input.rule.smsFallbackToEmail) {
        await recording.recordFallBack(step, reason);
        channel = 'email';
        continue;
      }
      await recording.recordFailure(step, reason);
      return 'failed';
    }
  }
}

/**
 * One notification (a rule × an occurrence of its trigger × a task): resolve its recipients, then
 * deliver to each — preferences (suppress, or wait out quiet hours on a durable timer), render and
 * send with retries, an SMS falling back to email where the rule says so — recording every step
 * on the recipient's Delivery. Its workflow id derives from (rule, task, occurrence), so a
 * redelivered trigger starts nothing new; each send carries its delivery id to the provider.
 */
export async function notifyWorkflow(input: NotificationInput): Promise<NotificationSummary> {
  let resolved;
  try {
    resolved = await resolving.resolveRecipients(input);
  } catch (error) {
    await recording.recordUnresolved(input, failureReason(error));
    return { outcome: 'unresolved', deliveries: [] };
  }
  if (resolved.kind === 'not_applicable') return { outcome: 'not_applicable', deliveries: [] };
  if (input.rule.digestWindow) {
    // Each recipient's digest for the window delivers; this notification only adds its task to them.
    for (const recipient of resolved.recipients) await recording.addToDigest({ input, recipient });
    return { outcome: 'digested', deliveries: [] };
  }
  const outcomes = await Promise.all(resolved.recipients.map(async (r) => ({ deliveryId: r.deliveryId, outcome: await deliverTo(input, r) })));
  return { outcome: 'delivered', deliveries: outcomes };
}

/** A task added to a digest (signalWithStart from the addToDigest activity). */
export const digestItemSignal = defineSignal<[DigestItem]>(DIGEST_ITEM_SIGNAL);

/** How long after its window a digest still takes items its triggers' processing delayed. */
const DIGEST_GRACE_MS = 5_000;

/**
 * One digest: a rule's message to one recipient for one window, listing every task added to it
 * (once each, however often a trigger is redelivered). It waits for the window's end on a durable
 * timer, then delivers like any notification (preferences, quiet hours, retries, fallback).
 */
export async function digestWorkflow(digest: DigestInput): Promise<NotificationSummary> {
  const items: DigestItem[] = [];
  setHandler(digestItemSignal, (item) => {
    if (!items.some((i) => i.taskId === item.taskId && i.occurrence === item.occurrence)) items.push(item);
  });
  const ms = Date.parse(digest.windowEnd) + DIGEST_GRACE_MS - Date.now();
  if (ms > 0) await sleep(ms);
  const input: NotificationInput = { ...digest.input, digest: { windowStart: digest.windowStart, items: [...items] } };
  await recording.requestDigestDelivery({ input, recipient: digest.recipient });
  const outcome = await deliverTo(input, digest.recipient);
  return { outcome: 'delivered', deliveries: [{ deliveryId: digest.recipient.deliveryId, outcome }] };
}
