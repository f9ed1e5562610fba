import { commonV1, tasksV1 } from '@projectflo/contracts';
import { DomainError, type FieldViolation, type RecordedEvent } from '@projectflo/platform/core';
import { echoedInt64, list, optionalText, protoEnum, stringMap, text, toTimestamp, uuid, validate } from '@projectflo/platform/grpc';
import {
  EVENT_TYPE_KEY_PATTERN,
  LIMITS,
  TASK_PRIORITIES,
  type CommentVisibility,
  type TaskPriority,
  type TaskStatus,
  type TaskTemplateDefinition,
  type TemplateTrigger,
} from '@projectflo/task-engine/domain';
import { z } from 'zod';

/** Translations between the gRPC contract (proto enums, snake_case fields) and the domain. */

/** An event type key such as "wedding.booked", as every request spells it. */
export const EVENT_TYPE_KEY = text(LIMITS.eventTypeKey, {
  required: true,
  pattern: EVENT_TYPE_KEY_PATTERN,
  patternDescription: 'must be dot-separated lower-case segments, e.g. "wedding.booked"',
});

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
  priority: protoEnum(tasksV1.TaskPriority),
  dueOffset: z
    .object({
      days: z.number().int().min(-MAX_DUE_OFFSET_DAYS, `must be within ±${MAX_DUE_OFFSET_DAYS}`).max(MAX_DUE_OFFSET_DAYS, `must be within ±${MAX_DUE_OFFSET_DAYS}`),
      hours: z.number().int().min(0, 'must be within 0..23').max(23, 'must be within 0..23'),
      businessDays: z.boolean(),
      anchor: protoEnum(tasksV1.DueAnchor),
      anchorField: key,
    })
    .nullish(),
  defaultAssignee: z.object({ userId: optionalText(LIMITS.id), rule: protoEnum(tasksV1.AssigneeRule).nullish() }).nullish(),
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

export const STATUS_TO_PROTO: Readonly<Record<TaskStatus, tasksV1.TaskStatus>> = {
  'To-Do': tasksV1.TaskStatus.TASK_STATUS_TODO,
  'Ready to Start': tasksV1.TaskStatus.TASK_STATUS_READY_TO_START,
  'In Progress': tasksV1.TaskStatus.TASK_STATUS_IN_PROGRESS,
  Completed: tasksV1.TaskStatus.TASK_STATUS_COMPLETED,
  Archived: tasksV1.TaskStatus.TASK_STATUS_ARCHIVED,
};

const STATUS_FROM_PROTO = new Map<string, TaskStatus>(Object.entries(STATUS_TO_PROTO).map(([domain, proto]) => [proto, domain as TaskStatus]));

/** A proto status (enum name as the loader decodes it) as a domain status; undefined for UNSPECIFIED or unknown values. */
export function statusFromProto(value: unknown): TaskStatus | undefined {
  return typeof value === 'string' ? STATUS_FROM_PROTO.get(value) : undefined;
}

export function statusToProto(status: string): tasksV1.TaskStatus {
  return STATUS_TO_PROTO[status as TaskStatus] ?? tasksV1.TaskStatus.TASK_STATUS_UNSPECIFIED;
}

const PRIORITY_TO_PROTO: Readonly<Record<TaskPriority, tasksV1.TaskPriority>> = {
  Low: tasksV1.TaskPriority.TASK_PRIORITY_LOW,
  Medium: tasksV1.TaskPriority.TASK_PRIORITY_MEDIUM,
  High: tasksV1.TaskPriority.TASK_PRIORITY_HIGH,
  Critical: tasksV1.TaskPriority.TASK_PRIORITY_CRITICAL,
};

export function priorityToProto(priority: string): tasksV1.TaskPriority {
  return PRIORITY_TO_PROTO[priority as TaskPriority] ?? tasksV1.TaskPriority.TASK_PRIORITY_UNSPECIFIED;
}

function priorityFromProto(value: unknown): unknown {
  if (value === undefined || value === null || value === tasksV1.TaskPriority.TASK_PRIORITY_UNSPECIFIED) return 'Medium';
  return TASK_PRIORITIES.find((p) => PRIORITY_TO_PROTO[p] === value) ?? value;
}

export function visibilityToProto(visibility: string): tasksV1.CommentVisibility {
  return visibility === 'ClientVisible'
    ? tasksV1.CommentVisibility.COMMENT_VISIBILITY_CLIENT_VISIBLE
    : tasksV1.CommentVisibility.COMMENT_VISIBILITY_INTERNAL;
}

/** Unset means Internal: a comment is never shown to a client by accident. */
export function visibilityFromProto(value: tasksV1.CommentVisibility): CommentVisibility {
  return value === tasksV1.CommentVisibility.COMMENT_VISIBILITY_CLIENT_VISIBLE ? 'ClientVisible' : 'Internal';
}

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
  const anchor =
    offset?.anchor === tasksV1.DueAnchor.DUE_ANCHOR_SUBJECT_DATE
      ? { kind: 'subject_date' as const, field: offset.anchorField }
      : { kind: 'trigger_time' as const };
  return {
    key: template.key,
    trigger: trigger!,
    name: template.name,
    description: template.description === '' ? null : template.description,
    priority: priorityFromProto(template.priority) as TaskPriority,
    dueOffset: {
      days: Math.abs(days),
      hours: offset?.hours ?? 0,
      businessDays: offset?.businessDays ?? false,
      direction: days < 0 ? 'before' : 'after',
      anchor,
    },
    defaultAssignee: assignee?.userId
      ? { kind: 'user', userId: assignee.userId }
      : assignee?.rule === tasksV1.AssigneeRule.ASSIGNEE_RULE_LEAD_ASSIGNEE
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
    priority: priorityToProto(d.priority),
    dueOffset: {
      days: o.direction === 'before' ? -o.days : o.days,
      hours: o.hours,
      businessDays: o.businessDays,
      anchor: o.anchor.kind === 'subject_date' ? tasksV1.DueAnchor.DUE_ANCHOR_SUBJECT_DATE : tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME,
      anchorField: o.anchor.kind === 'subject_date' ? o.anchor.field : '',
    },
    defaultAssignee:
      d.defaultAssignee.kind === 'user'
        ? { userId: d.defaultAssignee.userId }
        : d.defaultAssignee.kind === 'lead_assignee'
          ? { rule: tasksV1.AssigneeRule.ASSIGNEE_RULE_LEAD_ASSIGNEE }
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
      requestId: e.metadata.requestId,
      dataJson: JSON.stringify(e.data),
      schemaVersion: e.schemaVersion,
    })),
  };
}
