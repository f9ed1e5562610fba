import { commonV1, tasksV1 } from '@projectflo/contracts';
import { DomainError, type EventStore, type FieldViolation, type RecordedEvent } from '@projectflo/platform/core';
import { echoedInt64, enumMapping, list, optionalText, stringMap, text, toTimestamp, uuid, validate } from '@projectflo/platform/grpc';
import {
  EVENT_TYPE_KEY_RULE,
  LIMITS,
  type CommentVisibility,
  type DueAnchor,
  type TaskPriority,
  type TaskStatus,
  type TaskTemplateDefinition,
  type TemplateTrigger,
} from '@projectflo/task-engine/domain';
import { z } from 'zod';

/** Translations between the gRPC contract (proto enums, snake_case fields) and the domain. */

/** An event type key such as "wedding.booked", as every request spells it. */
export const EVENT_TYPE_KEY = text(EVENT_TYPE_KEY_RULE.max, EVENT_TYPE_KEY_RULE);

export const taskStatus = enumMapping<tasksV1.TaskStatus, TaskStatus>(tasksV1.TaskStatus, {
  TASK_STATUS_TODO: 'To-Do',
  TASK_STATUS_READY_TO_START: 'Ready to Start',
  TASK_STATUS_IN_PROGRESS: 'In Progress',
  TASK_STATUS_COMPLETED: 'Completed',
  TASK_STATUS_ARCHIVED: 'Archived',
});

export const taskPriority = enumMapping<tasksV1.TaskPriority, TaskPriority>(tasksV1.TaskPriority, {
  TASK_PRIORITY_LOW: 'Low',
  TASK_PRIORITY_MEDIUM: 'Medium',
  TASK_PRIORITY_HIGH: 'High',
  TASK_PRIORITY_CRITICAL: 'Critical',
});

/** Unset means Internal (see the commands): a comment is never shown to a client by accident. */
export const commentVisibility = enumMapping<tasksV1.CommentVisibility, CommentVisibility>(tasksV1.CommentVisibility, {
  COMMENT_VISIBILITY_INTERNAL: 'Internal',
  COMMENT_VISIBILITY_CLIENT_VISIBLE: 'ClientVisible',
});

const dueAnchor = enumMapping<tasksV1.DueAnchor, DueAnchor['kind']>(tasksV1.DueAnchor, {
  DUE_ANCHOR_TRIGGER_TIME: 'trigger_time',
  DUE_ANCHOR_SUBJECT_DATE: 'subject_date',
});

const assigneeRule = enumMapping<tasksV1.AssigneeRule, 'lead_assignee'>(tasksV1.AssigneeRule, { ASSIGNEE_RULE_LEAD_ASSIGNEE: 'lead_assignee' });

/** TemplateTrigger: one of its oneof members, each bounded. */
const triggerSchema = z.object({ leadStatusId: uuid.nullish(), eventType: EVENT_TYPE_KEY.nullish() });

/** |DueOffset.days| ≤ 3650 (ten years), as tasks.proto states. */
const MAX_DUE_OFFSET_DAYS = 3650;
/** TaskTemplate.effort_hours: a decimal such as "1.5" (the domain checks its value). */
const MAX_EFFORT_HOURS_TEXT = 12;
const key = text(LIMITS.key);

/** Every field of TaskTemplate as a request carries it; server-assigned fields are bounded and ignored. */
const templateSchema = z.object({
  templateId: text(LIMITS.id),
  key,
  trigger: triggerSchema.nullish(),
  name: text(LIMITS.name),
  description: text(LIMITS.description),
  priority: taskPriority.optional,
  dueOffset: z
    .object({
      days: z.number().int().min(-MAX_DUE_OFFSET_DAYS, `must be within ±${MAX_DUE_OFFSET_DAYS}`).max(MAX_DUE_OFFSET_DAYS, `must be within ±${MAX_DUE_OFFSET_DAYS}`),
      hours: z.number().int().min(0, 'must be within 0..23').max(23, 'must be within 0..23'),
      businessDays: z.boolean(),
      anchor: dueAnchor.optional,
      anchorField: key,
    })
    .nullish(),
  defaultAssignee: z.object({ userId: optionalText(LIMITS.id), rule: assigneeRule.optional.nullish() }).nullish(),
  phase: text(LIMITS.phase),
  effortHours: text(MAX_EFFORT_HOURS_TEXT),
  metadata: stringMap(LIMITS.metadataEntries, LIMITS.metadataKey, LIMITS.metadataValue),
  checklistItems: list(z.object({ title: text(LIMITS.checklistTitle), itemKey: key }), LIMITS.checklistItems),
  dependsOn: list(key, LIMITS.dependsOn),
  revision: z.number().int(),
  retired: z.boolean(),
  version: echoedInt64,
  parentKey: key,
  allowCompleteWithOpenSubtasks: z.boolean(),
});

/** The trigger of a request, or a violation naming `field`. */
export function triggerFromProto(trigger: tasksV1.TemplateTrigger | null | undefined, field: string): TemplateTrigger {
  const valid = validate(triggerSchema.nullish(), trigger, { prefix: field });
  if (valid?.leadStatusId) return { kind: 'lead_status', statusId: valid.leadStatusId };
  if (valid?.eventType) return { kind: 'event_type', eventTypeKey: valid.eventType };
  throw DomainError.invalid({ field, description: 'must name a lead_status_id or an event_type' });
}

export function triggerToProto(trigger: TemplateTrigger): tasksV1.TemplateTrigger {
  return trigger.kind === 'lead_status' ? { leadStatusId: trigger.statusId } : { eventType: trigger.eventTypeKey };
}

export function triggerValue(trigger: TemplateTrigger): string {
  return trigger.kind === 'lead_status' ? trigger.statusId : trigger.eventTypeKey;
}

/**
 * A template of the API as a domain definition, not yet validated: the domain's
 * validateTemplateDefinition checks every field (with the `template.` prefix) afterwards. Only what
 * the domain cannot express is rejected here.
 */
export function definitionFromProto(request: tasksV1.TaskTemplate | null | undefined, prefix: string): TaskTemplateDefinition {
  if (!request) throw DomainError.invalid({ field: prefix.replace(/\.$/, ''), description: 'is required' });
  const template = validate(templateSchema, request, { prefix: prefix.replace(/\.$/, '') });
  const violations: FieldViolation[] = [];
  const assignee = template.defaultAssignee;
  let trigger: TemplateTrigger | undefined;
  try {
    trigger = triggerFromProto(request.trigger, `${prefix}trigger`);
  } catch (error) {
    if (error instanceof DomainError) violations.push(...error.fieldViolations);
    else throw error;
  }
  if (violations.length > 0) throw DomainError.invalid(violations);

  const offset = template.dueOffset;
  const days = offset?.days ?? 0;
  const anchor = offset?.anchor === 'subject_date' ? { kind: 'subject_date' as const, field: offset.anchorField } : { kind: 'trigger_time' as const };
  return {
    key: template.key,
    trigger: trigger!,
    name: template.name,
    description: template.description === '' ? null : template.description,
    priority: template.priority ?? 'Medium',
    dueOffset: {
      days: Math.abs(days),
      hours: offset?.hours ?? 0,
      businessDays: offset?.businessDays ?? false,
      direction: days < 0 ? 'before' : 'after',
      anchor,
    },
    defaultAssignee: assignee?.userId
      ? { kind: 'user', userId: assignee.userId }
      : assignee?.rule === 'lead_assignee'
        ? { kind: 'lead_assignee' }
        : { kind: 'none' },
    phase: template.phase === '' ? null : template.phase,
    effortHours: template.effortHours === '' ? '0' : template.effortHours,
    metadata: { ...template.metadata },
    checklist: template.checklistItems.map((item, i) => ({ itemKey: item.itemKey || `item-${i + 1}`, title: item.title })),
    parentKey: template.parentKey === '' ? null : template.parentKey,
    dependsOn: [...template.dependsOn],
    allowCompleteWithOpenSubtasks: template.allowCompleteWithOpenSubtasks ?? false,
  };
}

export interface TemplateFacts {
  readonly templateId: string;
  readonly revision: number;
  readonly definition: TaskTemplateDefinition;
  readonly retired: boolean;
  /** Stream version (what expected_version compares with). */
  readonly version: number;
}

export function templateToProto(t: TemplateFacts): tasksV1.TaskTemplate {
  const d = t.definition;
  const o = d.dueOffset;
  return {
    templateId: t.templateId,
    key: d.key,
    trigger: triggerToProto(d.trigger),
    name: d.name,
    description: d.description ?? '',
    priority: taskPriority.toProto(d.priority),
    dueOffset: {
      days: o.direction === 'before' ? -o.days : o.days,
      hours: o.hours,
      businessDays: o.businessDays,
      anchor: dueAnchor.toProto(o.anchor.kind),
      anchorField: o.anchor.kind === 'subject_date' ? o.anchor.field : '',
    },
    defaultAssignee:
      d.defaultAssignee.kind === 'user'
        ? { userId: d.defaultAssignee.userId }
        : d.defaultAssignee.kind === 'lead_assignee'
          ? { rule: assigneeRule.toProto('lead_assignee') }
          : {},
    phase: d.phase ?? '',
    effortHours: d.effortHours,
    metadata: { ...d.metadata },
    checklistItems: d.checklist.map((item) => ({ title: item.title, itemKey: item.itemKey })),
    dependsOn: [...d.dependsOn],
    revision: t.revision,
    retired: t.retired,
    version: String(t.version),
    parentKey: d.parentKey ?? '',
    allowCompleteWithOpenSubtasks: d.allowCompleteWithOpenSubtasks,
  };
}

/** An aggregate's stream as the API's audit history. */
export function historyToProto(aggregateType: string, aggregateId: string, version: number, events: readonly RecordedEvent[]): commonV1.AggregateHistory {
  return {
    aggregateType,
    aggregateId,
    version: String(version),
    events: events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      streamPosition: String(e.streamPosition),
      occurredAt: toTimestamp(e.metadata.occurredAt),
      actorId: e.metadata.actorId,
      actorKind: e.metadata.actorKind ?? '',
      requestId: e.metadata.requestId,
      dataJson: JSON.stringify(e.data),
      schemaVersion: e.schemaVersion,
    })),
  };
}

/** An aggregate's audit history, straight from its stream; another tenant's aggregate is NOT_FOUND like a missing one. */
export async function readHistory(
  store: EventStore,
  tenantId: string,
  stream: string,
  aggregate: { readonly type: string; readonly id: string; readonly noun: string },
): Promise<{ history: commonV1.AggregateHistory }> {
  const { version, events } = await store.readStream(stream);
  if (events.length === 0 || events[0]!.metadata.tenantId !== tenantId) throw DomainError.notFound(aggregate.noun, aggregate.id);
  return { history: historyToProto(aggregate.type, aggregate.id, version, events) };
}
