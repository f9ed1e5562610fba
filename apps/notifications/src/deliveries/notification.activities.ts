import { automationMetadata, type Clock, type CommandMetadata, deriveId } from '@projectflo/platform/core';
import type { CommandExecutor } from '@projectflo/platform/service';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { classifyDeliveryFailure, type OutboundMessage } from '../channels/channel-adapter';
import { dueDateIcs } from '../channels/due-date-ics';
import type { FactsRepository, TaskFact } from '../facts/facts.repository';
import { NOTIFICATIONS_SERVICE, NotificationsStreams } from '../notifications.streams';
import { type MessageValues, renderTemplate } from '../rules/message-template';
import { windowMs } from '../rules/notification-rules.decider';
import type { SuppressionReason } from './delivery.events';
import type { DigestStarter } from './digest.starter';
import type { ThrottleSlots } from './throttle-slots.repository';
import type { NotificationChannel, NotificationTrigger, RecipientSpec } from '../rules/notification-rules.events';
import type { DeliveryCommand } from './delivery.commands';
import { deliveryDecider } from './delivery.decider';
import { type ChannelAdapters, type InAppInboxPort, NO_PREFERENCES, type RecipientPreferencesPort } from './delivery.ports';
import {
  FACT_MISSING,
  type DeliveryStepInput,
  type NotificationActivities,
  type NotificationInput,
  PERMANENT_DELIVERY_FAILURE,
  type ResolvedRecipient,
  type SendInput,
} from './notification.types';
import { quietHoursEnd } from './quiet-hours';

export interface NotificationActivityDeps {
  readonly executor: CommandExecutor;
  /** Starts or signals digest workflows on the service's task queue. */
  readonly digests: DigestStarter;
  /** Takes a throttle slot for a delivery (true: within the limit). */
  readonly throttle: ThrottleSlots;
  readonly facts: FactsRepository;
  readonly clock: Clock;
  readonly adapters: ChannelAdapters;
  readonly preferences: RecipientPreferencesPort | null;
  readonly inbox: InAppInboxPort | null;
}

/** After its window's end, how long an item may still join that window's digest (the digest workflow waits 5 s past the end). */
const DIGEST_LATE_AFTER_MS = 2_000;

/** The fixed window (aligned to the epoch) an instant falls in. */
export function windowOf(at: Date, window: string): { readonly start: Date; readonly end: Date } {
  const ms = windowMs(window);
  if (ms === undefined) throw new Error(`invalid window ${window}`);
  const start = Math.floor(at.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
}

/** A digest's delivery: one per rule, recipient and window. */
export function digestDeliveryId(ruleId: string, userId: string, windowStart: Date): string {
  return deriveId('digest', ruleId, userId, windowStart.toISOString());
}

/** The delivery of one rule's message to one user for one occurrence: the same however often the trigger arrives. */
export function deliveryIdOf(input: Pick<NotificationInput, 'rule' | 'taskId' | 'occurrence'>, userId: string): string {
  return deriveId('delivery', input.rule.ruleId, input.taskId, input.occurrence, userId);
}

const DEFAULT_LOCALE = 'en';
const TIMER_TRIGGERS: readonly NotificationTrigger[] = ['reminder_due', 'task_due', 'task_overdue'];
const CLOSED_STATUSES: readonly string[] = ['Completed', 'Archived'];

/** A fact the resolution needs has not reached this service yet: retried until the workflow's resolve timeout. */
function missing(what: string): ApplicationFailure {
  return ApplicationFailure.retryable(`${what} is not known to notifications yet (its event has not arrived)`, FACT_MISSING);
}

export function createNotificationActivities(deps: NotificationActivityDeps): NotificationActivities {
  const { executor, facts, clock, adapters, preferences, inbox, digests, throttle } = deps;

  function metadata(input: NotificationInput, requestId: string): CommandMetadata {
    return automationMetadata({
      service: NOTIFICATIONS_SERVICE,
      tenantId: input.tenantId,
      requestId,
      now: clock.now(),
      cause: { causationId: input.causeEventId, ...(input.correlationId ? { correlationId: input.correlationId } : {}) },
    });
  }

  async function record(input: NotificationInput, deliveryId: string, command: Omit<DeliveryCommand, 'metadata'>, requestKey: string): Promise<void> {
    await executor.run(deliveryDecider, NotificationsStreams.delivery(deliveryId), command as DeliveryCommand, {
      metadata: metadata(input, deriveId('delivery-step', deliveryId, requestKey)),
    });
  }

  async function knownTask(input: NotificationInput): Promise<TaskFact> {
    const task = await facts.task(input.tenantId, input.taskId);
    if (!task) throw missing(`task ${input.taskId}`);
    return task;
  }

  async function usersOf(input: NotificationInput, task: TaskFact, spec: RecipientSpec): Promise<string[]> {
    switch (spec.kind) {
      case 'assignee':
        return task.assigneeId ? [task.assigneeId] : [];
      case 'lead_owner': {
        if (!task.leadId) return [];
        const lead = await facts.lead(input.tenantId, task.leadId);
        if (!lead) throw missing(`lead ${task.leadId}`);
        return lead.ownerId ? [lead.ownerId] : [];
      }
      case 'user':
        return [spec.userId];
      case 'role':
        return facts.activeWithRole(input.tenantId, spec.role);
      default: {
        const unknown: never = spec;
        throw new Error(`unknown recipient ${JSON.stringify(unknown)}`);
      }
    }
  }

  function request(input: NotificationInput, deliveryId: string, recipientId: string | null): Omit<DeliveryCommand, 'metadata'> {
    return {
      type: 'RequestDelivery',
      data: {
        deliveryId,
        ruleId: input.rule.ruleId,
        trigger: input.trigger,
        subjectId: input.taskId,
        occurrence: input.occurrence,
        recipientId,
        channel: input.rule.channel,
        critical: input.rule.critical,
      },
    };
  }

  async function values(input: NotificationInput, task: TaskFact, userId: string, zone: string, locale: string): Promise<MessageValues> {
    const recipient = await facts.recipient(input.tenantId, userId);
    const tenant = await facts.tenant(input.tenantId);
    const lead = task.leadId ? await facts.lead(input.tenantId, task.leadId) : undefined;
    const contactName = lead ? await facts.contactName(input.tenantId, lead.contactId) : undefined;
    const dueAt = task.dueAt ? DateTime.fromJSDate(task.dueAt).setZone(zone).setLocale(locale).toLocaleString(DateTime.DATETIME_FULL) : '';
    return {
      'task.name': task.name,
      'task.dueAt': dueAt,
      'task.priority': task.priority,
      'task.status': task.status,
      'contact.name': contactName ?? '',
      'tenant.name': tenant?.name ?? '',
      'recipient.name': recipient?.name ?? '',
      'reminder.offset': input.reminderKey ?? '',
    };
  }

  /** A failure no retry can mend: recorded with its reason by the workflow. */
  function permanent(reason: string): ApplicationFailure {
    return ApplicationFailure.nonRetryable(reason, PERMANENT_DELIVERY_FAILURE);
  }

  /** The in-app inbox, or the channel's adapter: how a message goes out on `channel`. */
  function sender(step: SendInput, task: TaskFact): (message: OutboundMessage) => Promise<{ providerMessageId: string }> {
    const { input, recipient, channel } = step;
    if (channel === 'in_app') {
      if (!inbox) throw permanent('the in-app inbox is not available in this service');
      return async (message) => {
        await inbox.deliver(metadata(input, deriveId('in-app', recipient.deliveryId)), {
          deliveryId: recipient.deliveryId,
          tenantId: input.tenantId,
          recipientId: recipient.userId,
          ruleId: input.rule.ruleId,
          title: message.subject,
          body: message.text,
          taskId: task.taskId,
        });
        return { providerMessageId: `in-app:${recipient.deliveryId}` };
      };
    }
    // The user directory (crm) keeps no phone numbers: an SMS has nowhere to go (and falls back to email where the rule says so).
    if (channel === 'sms') throw permanent('the recipient has no phone number in the user directory');
    const adapter = adapters.find((a) => a.channel === channel);
    if (!adapter) throw permanent(`no ${channel} adapter is configured`);
    return (message) => adapter.send(message);
  }

  return {
    async resolveRecipients(input) {
      const task = await knownTask(input);
      // A timer that fired for a task closed meanwhile (its completion raced the firing) tells no one.
      if (TIMER_TRIGGERS.includes(input.trigger) && CLOSED_STATUSES.includes(task.status)) {
        return { kind: 'not_applicable', reason: `task ${input.taskId} is ${task.status}` };
      }
      if (input.rule.templateKey !== null && task.templateKey !== input.rule.templateKey) {
        return { kind: 'not_applicable', reason: `task ${input.taskId} is of template ${task.templateKey}, not ${input.rule.templateKey}` };
      }
      const userIds: string[] = [];
      for (const spec of input.rule.recipients) {
        for (const userId of await usersOf(input, task, spec)) if (!userIds.includes(userId)) userIds.push(userId);
      }
      const recipients: ResolvedRecipient[] = [];
      const digestWindow = input.rule.digestWindow ? windowOf(new Date(input.triggeredAt ?? clock.now().toISOString()), input.rule.digestWindow) : null;
      for (const userId of userIds) {
        const user = await facts.recipient(input.tenantId, userId);
        if (!user) throw missing(`user ${userId}`);
        if (!user.active) continue;
        if (digestWindow) {
          // The digest records its own delivery when its window ends.
          recipients.push({ userId, deliveryId: digestDeliveryId(input.rule.ruleId, userId, digestWindow.start) });
          continue;
        }
        const deliveryId = deliveryIdOf(input, userId);
        await record(input, deliveryId, request(input, deliveryId, userId), 'requested');
        recipients.push({ userId, deliveryId });
      }
      return { kind: 'recipients', recipients };
    },

    async recordUnresolved(input, reason) {
      await record(input, input.notificationId, request(input, input.notificationId, null), 'requested');
      await record(input, input.notificationId, { type: 'RecordDeliveryFailure', data: { reason: `recipients could not be resolved: ${reason}` } }, 'failed');
    },

    async prepareDelivery({ input, recipient }) {
      const prefs = (await preferences?.of(input.tenantId, recipient.userId)) ?? NO_PREFERENCES;
      const suppress = async (reason: SuppressionReason) => {
        await record(input, recipient.deliveryId, { type: 'SuppressDelivery', data: { reason } }, 'suppressed');
        return { kind: 'suppressed', reason } as const;
      };
      if (!input.rule.critical) {
        const reason = prefs.channelOptOuts.includes(input.rule.channel) ? 'opted_out' : prefs.mutedRuleIds.includes(input.rule.ruleId) ? 'muted' : null;
        if (reason) return suppress(reason);
      }
      if (input.rule.throttle) {
        const window = windowOf(new Date(input.triggeredAt ?? clock.now().toISOString()), input.rule.throttle.window);
        const within = await throttle.take({
          tenantId: input.tenantId,
          ruleId: input.rule.ruleId,
          recipientId: recipient.userId,
          windowStart: window.start,
          deliveryId: recipient.deliveryId,
          limit: input.rule.throttle.limit,
        });
        if (!within) return suppress('throttled');
      }
      const user = await facts.recipient(input.tenantId, recipient.userId);
      const zone = prefs.timezone ?? user?.timezone ?? 'UTC';
      const until = quietHoursEnd(clock.now(), prefs.quietHours, zone);
      if (!until) return { kind: 'send' };
      await record(input, recipient.deliveryId, { type: 'DeferDelivery', data: { until: until.toISOString() } }, 'deferred');
      return { kind: 'wait', until: until.toISOString() };
    },

    async sendDelivery(step) {
      const { input, recipient, channel } = step;
      const current = await executor.load(deliveryDecider, NotificationsStreams.delivery(recipient.deliveryId), input.tenantId);
      // A workflow run again for the same delivery (its trigger redelivered after Temporal forgot the
      // closed run) sends nothing twice: the delivery's stream is kept for good.
      if (current.state.status === 'delivered' || current.state.status === 'failed' || current.state.status === 'suppressed') {
        return { providerMessageId: `already-${current.state.status}` };
      }
      const task = await knownTask(input);
      const user = await facts.recipient(input.tenantId, recipient.userId);
      const prefs = (await preferences?.of(input.tenantId, recipient.userId)) ?? NO_PREFERENCES;
      const zone = prefs.timezone ?? user?.timezone ?? 'UTC';
      const locale = prefs.locale ?? DEFAULT_LOCALE;
      const renderings = [];
      for (const item of input.digest?.items ?? [{ taskId: input.taskId, occurrence: input.occurrence, reminderKey: input.reminderKey }]) {
        const itemTask = item.taskId === task.taskId ? task : await facts.task(input.tenantId, item.taskId);
        if (itemTask) renderings.push({ task: itemTask, values: await values({ ...input, reminderKey: item.reminderKey }, itemTask, recipient.userId, zone, locale) });
      }
      const [first] = renderings;
      if (!first) throw permanent('none of the tasks is known');
      const dueReminder = !input.digest && channel === 'email' && (input.trigger === 'reminder_due' || input.trigger === 'task_due') && task.dueAt;
      const message: OutboundMessage = {
        deliveryId: recipient.deliveryId,
        tenantId: input.tenantId,
        to: channel === 'email' ? (user?.email ?? '') : '',
        // A digest: "<rule name>: 5 tasks", each task's body in turn.
        subject: input.digest && renderings.length > 1 ? `${input.rule.name}: ${renderings.length} tasks` : renderTemplate(input.rule.subject, first.values),
        text: renderings.map((r) => renderTemplate(input.rule.body, r.values)).join('\n\n'),
        html: renderings.map((r) => `<p>${renderTemplate(input.rule.body, r.values, { html: true }).replace(/\n/g, '<br>')}</p>`).join(''),
        ...(dueReminder ? { attachments: [dueDateIcs({ taskId: task.taskId, title: task.name, dueAt: task.dueAt!, stampedAt: clock.now() })] } : {}),
      };
      const sendMessage = sender(step, task);
      try {
        const { providerMessageId } = await sendMessage(message);
        await record(input, recipient.deliveryId, { type: 'RecordDelivered', data: { providerMessageId: providerMessageId.slice(0, 500) } }, `delivered:${channel}`);
        return { providerMessageId };
      } catch (error) {
        const failure = classifyDeliveryFailure(error);
        if (failure.kind === 'permanent') throw ApplicationFailure.nonRetryable(failure.reason, PERMANENT_DELIVERY_FAILURE);
        const attempt = Context.current().info.attempt;
        await record(input, recipient.deliveryId, { type: 'RecordAttemptFailure', data: { attempt, reason: failure.reason } }, `attempt:${channel}:${attempt}`);
        throw ApplicationFailure.create({
          message: failure.reason,
          type: 'TransientDeliveryError',
          ...(failure.retryAfterMs !== null ? { nextRetryDelay: failure.retryAfterMs } : {}),
        });
      }
    },

    async recordFallBack({ input, recipient }: DeliveryStepInput, reason: string) {
      const toChannel: NotificationChannel = 'email';
      await record(input, recipient.deliveryId, { type: 'FallBack', data: { toChannel, reason } }, 'fell-back');
    },

    async recordFailure({ input, recipient }: DeliveryStepInput, reason: string) {
      await record(input, recipient.deliveryId, { type: 'RecordDeliveryFailure', data: { reason } }, 'failed');
    },

    async addToDigest({ input, recipient }: DeliveryStepInput) {
      const digestWindow = input.rule.digestWindow ?? 'PT1S';
      const now = clock.now();
      let window = windowOf(new Date(input.triggeredAt ?? now.toISOString()), digestWindow);
      // A trigger processed so late that its window's digest may have gone out joins the current window's instead (listed late, never lost).
      if (now.getTime() >= window.end.getTime() + DIGEST_LATE_AFTER_MS) window = windowOf(now, digestWindow);
      await digests.add(
        { input, recipient: { ...recipient, deliveryId: digestDeliveryId(input.rule.ruleId, recipient.userId, window.start) }, windowStart: window.start.toISOString(), windowEnd: window.end.toISOString() },
        { taskId: input.taskId, occurrence: input.occurrence, reminderKey: input.reminderKey },
      );
    },

    async requestDigestDelivery({ input, recipient }: DeliveryStepInput) {
      const windowStart = input.digest?.windowStart ?? '';
      await record(
        input,
        recipient.deliveryId,
        {
          type: 'RequestDelivery',
          data: {
            deliveryId: recipient.deliveryId,
            ruleId: input.rule.ruleId,
            trigger: input.trigger,
            subjectId: `digest:${windowStart}`,
            occurrence: `digest@${windowStart}`,
            recipientId: recipient.userId,
            channel: input.rule.channel,
            critical: input.rule.critical,
          },
        },
        'requested',
      );
    },
  };
}
