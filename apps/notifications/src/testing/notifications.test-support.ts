import { randomUUID } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import { crmOrganizationEventsV1, schedulingTaskScheduleEventsV1, tasksTaskEventsV1 } from '@projectflo/contracts';
import { relayedEvent } from '@projectflo/platform/testing';
import type { z } from 'zod';
import { type ChannelAdapter, type OutboundMessage, PermanentDeliveryError, TransientDeliveryError } from '../channels/channel-adapter';
import { NOTIFICATIONS_SERVICE_OPTIONS } from '../notifications.service-options';
import { CHANNEL_ADAPTERS, NO_PREFERENCES, RECIPIENT_PREFERENCES, type RecipientPreferenceSet, type RecipientPreferencesPort } from '../deliveries/delivery.ports';

/** The consumer groups of a notifications instance on `schema` (what a test deletes afterwards). */
export const notificationsConsumerGroups = (schema: string): string[] => Object.keys(NOTIFICATIONS_SERVICE_OPTIONS.consumes ?? {}).map((purpose) => `${schema}.${purpose}`);

/** A task-engine task event as its relay publishes it on tasks.task.v1 (keyed by task id). */
export function taskMessage(tenantId: string, taskId: string, type: string, data: unknown, eventId: string = randomUUID()) {
  return { topic: tasksTaskEventsV1.TASKS_TASK_TOPIC_V1, message: relayedEvent('task-engine', `task-${taskId}`, tenantId, type, data, { eventId, actorId: 'user-ops' }) };
}

/** A scheduling event as its relay publishes it on scheduling.task-schedule.v1 (keyed by task id). */
export function scheduleMessage(tenantId: string, taskId: string, type: string, data: unknown, eventId: string = randomUUID()) {
  return {
    topic: schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1,
    message: relayedEvent('scheduling', `task-schedule-${taskId}`, tenantId, type, data, { eventId, actorId: 'system:scheduling' }),
  };
}

/** A crm organization event as crm's relay publishes it on crm.organization.v1. */
export function organizationMessage(tenantId: string, type: string, data: unknown) {
  return { topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, message: relayedEvent('crm', `organization-${tenantId}`, tenantId, type, data, { actorId: 'user-crm' }) };
}

/** A TaskCreated payload (contract tasks.task.v1). */
export function taskCreated(
  tenantId: string,
  taskId: string,
  overrides: Partial<z.infer<typeof tasksTaskEventsV1.TaskCreatedV1>> & { readonly templateKey?: string } = {},
): z.infer<typeof tasksTaskEventsV1.TaskCreatedV1> {
  const { templateKey = 'call-back', ...rest } = overrides;
  return {
    tenantId,
    taskId,
    source: { triggerEventId: randomUUID(), trigger: { kind: 'event_type', eventTypeKey: 'wedding.booked' }, subjectId: randomUUID(), templateId: randomUUID(), templateKey, templateVersion: 1 },
    name: 'Call the couple back',
    description: null,
    priority: 'High',
    phase: null,
    metadata: {},
    dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    dueDateBasis: { kind: 'trigger_time' },
    assigneeId: null,
    parentTaskId: null,
    blockedBy: [],
    status: 'To-Do',
    checklist: [],
    plannedHours: '1.00',
    allowCompleteWithOpenSubtasks: false,
    createdBy: 'system:task-engine',
    createdAt: new Date().toISOString(),
    ...rest,
  };
}

export function taskCompleted(tenantId: string, taskId: string): z.infer<typeof tasksTaskEventsV1.TaskStatusChangedV1> {
  return { tenantId, taskId, by: 'user-ops', at: new Date().toISOString(), from: 'In Progress', to: 'Completed', data: {} };
}

/** What the fake provider should do with the sends of one task: fail transiently `transientFailures` times, or permanently. */
export interface ScriptedOutcome {
  readonly transientFailures?: number;
  readonly permanent?: string;
}

/**
 * An in-process email provider standing in at the ChannelAdapter boundary: records every send and
 * answers as scripted per task (the task id is in the message's subject of these tests' rules).
 */
export class FakeEmailProvider implements ChannelAdapter {
  readonly channel = 'email' as const;
  readonly sent: OutboundMessage[] = [];
  private readonly scripts = new Map<string, ScriptedOutcome & { failed: number }>();

  script(marker: string, outcome: ScriptedOutcome): void {
    this.scripts.set(marker, { ...outcome, failed: 0 });
  }

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    this.sent.push(message);
    for (const [marker, script] of this.scripts) {
      if (!message.subject.includes(marker)) continue;
      if (script.permanent) throw new PermanentDeliveryError('email', script.permanent);
      if (script.failed < (script.transientFailures ?? 0)) {
        script.failed++;
        throw new TransientDeliveryError('email', 'provider answered HTTP 503');
      }
    }
    return { providerMessageId: `fake-${message.deliveryId}` };
  }

  to(marker: string): OutboundMessage[] {
    return this.sent.filter((m) => m.subject.includes(marker));
  }
}

/** Preferences set per user by a test (everyone else: none). */
export class FakePreferences implements RecipientPreferencesPort {
  private readonly byUser = new Map<string, RecipientPreferenceSet>();

  set(userId: string, preferences: Partial<RecipientPreferenceSet>): void {
    this.byUser.set(userId, { ...NO_PREFERENCES, ...preferences });
  }

  async of(_tenantId: string, userId: string): Promise<RecipientPreferenceSet> {
    return this.byUser.get(userId) ?? NO_PREFERENCES;
  }
}

/** The fakes bound to the delivery ports (NotificationsAppModule.withProviders). */
export function fakeDeliveryPorts(email: FakeEmailProvider, preferences: FakePreferences): Provider[] {
  return [
    { provide: CHANNEL_ADAPTERS, useValue: [email] },
    { provide: RECIPIENT_PREFERENCES, useValue: preferences },
  ];
}
