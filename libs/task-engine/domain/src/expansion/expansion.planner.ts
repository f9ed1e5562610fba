import type { DateTime } from 'luxon';
import { deriveId, DomainError, Violations } from '@projectflo/platform/core';
import type { DecimalString } from '../shared/hours';
import { parseDateInZone, parseInstant, toInstantString } from '../shared/time';
import { LIMITS } from '../shared/text-limits';
import type { TaskStatus } from '../task/task.status';
import {
  sameTrigger,
  triggerKey,
  type ChecklistItemDefinition,
  type TaskPriority,
  type TaskTemplateDefinition,
  type TemplateTrigger,
  type TemplateVersion,
  validateTemplateDefinition,
} from '../task-template/task-template.definition';
import { shiftDays, validateBusinessCalendar, type BusinessCalendar } from './business-calendar';

/** One occurrence of a trigger: a lead entering a status, or an ingested external event. */
export type ExpansionTrigger = TemplateTrigger & {
  /** The id of the event that fired (the lead's status-change event id, or the external event id). */
  readonly triggerEventId: string;
  /** ISO-8601 instant; the anchor of "trigger time" due dates. */
  readonly occurredAt: string;
  /** The lead (or other subject) the tasks are about. */
  readonly subjectId: string;
  readonly subject: {
    readonly assigneeId?: string | null;
    /** Subject dates by field name, YYYY-MM-DD (or an instant), e.g. { event_date: '2025-09-20' }. */
    readonly dates: Readonly<Record<string, string>>;
  };
};

export interface PlanExpansionInput {
  readonly tenantId: string;
  readonly trigger: ExpansionTrigger;
  /** The active templates of this trigger, each at its current version. */
  readonly templates: readonly TemplateVersion[];
  readonly calendar: BusinessCalendar;
}

/** Where a task came from; carried by TaskCreated so a task always knows its template version. */
export interface TaskSource {
  readonly triggerEventId: string;
  readonly trigger: TemplateTrigger;
  readonly subjectId: string;
  readonly templateId: string;
  readonly templateKey: string;
  readonly templateVersion: number;
}

/** How a due date was reached; `fallback_trigger_time` flags a subject date that was missing. */
export type DueDateBasis =
  | { readonly kind: 'trigger_time' }
  | { readonly kind: 'subject_date'; readonly field: string; readonly date: string }
  | { readonly kind: 'fallback_trigger_time'; readonly missingField: string };

export type InitialTaskStatus = Extract<TaskStatus, 'To-Do' | 'Ready to Start'>;

/** What a task is made of when it is planned; TaskCreated records exactly this. */
export interface PlannedTaskContent {
  readonly source: TaskSource;
  readonly name: string;
  readonly description: string | null;
  readonly priority: TaskPriority;
  readonly phase: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly dueAt: string;
  readonly dueDateBasis: DueDateBasis;
  readonly assigneeId: string | null;
  readonly parentTaskId: string | null;
  readonly blockedBy: readonly string[];
  readonly checklist: readonly ChecklistItemDefinition[];
  readonly plannedHours: DecimalString;
  readonly allowCompleteWithOpenSubtasks: boolean;
}

export interface PlannedTask extends PlannedTaskContent {
  /** deriveId('task', tenantId, triggerEventId, templateId): a redelivered trigger plans the same ids. */
  readonly taskId: string;
  readonly initialStatus: InitialTaskStatus;
}

export type PlanWarning =
  | { readonly code: 'subject_date_missing'; readonly templateKey: string; readonly field: string }
  | { readonly code: 'lead_assignee_missing'; readonly templateKey: string }
  | { readonly code: 'unknown_dependency'; readonly templateKey: string; readonly dependsOn: string }
  | { readonly code: 'unknown_parent'; readonly templateKey: string; readonly parentKey: string };

export interface ExpansionPlan {
  readonly tenantId: string;
  readonly triggerEventId: string;
  /** Blockers before the tasks they block, otherwise by template key. */
  readonly tasks: readonly PlannedTask[];
  /** What the plan had to work around; the workflow records them in its summary. */
  readonly warnings: readonly PlanWarning[];
}

export function plannedTaskId(tenantId: string, triggerEventId: string, templateId: string): string {
  return deriveId('task', tenantId, triggerEventId, templateId);
}

/**
 * Turns one trigger occurrence and the templates it matches into tasks. Pure and deterministic:
 * the same input always gives the same plan, ids included.
 *
 * Policies (why, not what):
 * - A missing subject date (a lead without an event date) does not fail the expansion — its other
 *   tasks are still needed. The task is due relative to the trigger time instead (offset applied
 *   forward) and carries `dueDateBasis.kind = 'fallback_trigger_time'`, plus a plan warning.
 * - A dependency or parent key that is not among the active templates (retired, or never made) is
 *   dropped with a warning rather than failing every future expansion of the trigger.
 * - A dependency cycle or a parent cycle cannot be planned at all: INVALID_ARGUMENT naming it.
 */
export function planExpansion(input: PlanExpansionInput): ExpansionPlan {
  const { tenantId, trigger, templates } = input;
  const { occurredAt, calendar } = validateInput(input);
  const warnings: PlanWarning[] = [];

  const byKey = new Map<string, TemplateVersion>();
  templates.forEach((given, i) => {
    // Definitions may come from a read model rather than the template stream: normalise them the
    // same way (canonical hours, defaults), so every planned task passes CreateTask's validation.
    const template = { ...given, definition: validateTemplateDefinition(given.definition, `templates[${i}].`) };
    if (!Number.isInteger(template.version) || template.version < 1) {
      throw DomainError.invalid({ field: `templates[${i}].version`, description: 'must be a version ≥ 1' });
    }
    const { key } = template.definition;
    if (!sameTrigger(template.definition.trigger, trigger)) {
      throw DomainError.invalid({ field: `templates[${i}].trigger`, description: `does not match trigger ${triggerKey(trigger)}` });
    }
    if (byKey.has(key)) throw DomainError.invalid({ field: `templates[${i}].key`, description: `duplicates template key ${key}` });
    byKey.set(key, template);
  });

  const parentOf = new Map<string, string>();
  const blockersOf = new Map<string, string[]>();
  for (const { definition } of byKey.values()) {
    const { key, parentKey, dependsOn } = definition;
    if (parentKey !== null) {
      if (byKey.has(parentKey)) parentOf.set(key, parentKey);
      else warnings.push({ code: 'unknown_parent', templateKey: key, parentKey });
    }
    const known: string[] = [];
    for (const blocker of dependsOn) {
      if (byKey.has(blocker)) known.push(blocker);
      else warnings.push({ code: 'unknown_dependency', templateKey: key, dependsOn: blocker });
    }
    blockersOf.set(key, known);
  }
  rejectParentCycles(parentOf);
  const order = topologicalOrder([...byKey.keys()], blockersOf);

  const taskIdOf = (key: string) => plannedTaskId(tenantId, trigger.triggerEventId, byKey.get(key)!.templateId);
  const tasks = order.map((key): PlannedTask => {
    const { templateId, version, definition } = byKey.get(key)!;
    const blockedBy = blockersOf.get(key)!.map(taskIdOf);
    const parentKey = parentOf.get(key);
    const due = dueDate(definition, occurredAt, trigger, calendar, warnings);
    return {
      taskId: taskIdOf(key),
      source: {
        triggerEventId: trigger.triggerEventId,
        trigger: definition.trigger,
        subjectId: trigger.subjectId,
        templateId,
        templateKey: key,
        templateVersion: version,
      },
      name: definition.name,
      description: definition.description,
      priority: definition.priority,
      phase: definition.phase,
      metadata: definition.metadata,
      dueAt: due.dueAt,
      dueDateBasis: due.basis,
      assigneeId: resolveAssignee(definition, trigger, warnings),
      parentTaskId: parentKey === undefined ? null : taskIdOf(parentKey),
      blockedBy,
      initialStatus: blockedBy.length > 0 ? 'To-Do' : 'Ready to Start',
      checklist: definition.checklist,
      plannedHours: definition.effortHours,
      allowCompleteWithOpenSubtasks: definition.allowCompleteWithOpenSubtasks,
    };
  });
  return { tenantId, triggerEventId: trigger.triggerEventId, tasks, warnings };
}

function validateInput(input: PlanExpansionInput): { occurredAt: DateTime; calendar: BusinessCalendar } {
  const v = new Violations();
  v.identifier('tenantId', input.tenantId, LIMITS.id);
  v.identifier('trigger.triggerEventId', input.trigger?.triggerEventId, LIMITS.id);
  v.identifier('trigger.subjectId', input.trigger?.subjectId, LIMITS.id);
  const occurredAt = parseInstant(input.trigger?.occurredAt);
  if (!occurredAt) v.add('trigger.occurredAt', 'must be an ISO-8601 instant with an offset');
  if (!Array.isArray(input.templates)) v.add('templates', 'must be a list');
  v.throwIfAny();
  return { occurredAt: occurredAt!, calendar: validateBusinessCalendar(input.calendar) };
}

function dueDate(
  definition: TaskTemplateDefinition,
  occurredAt: DateTime,
  trigger: ExpansionTrigger,
  calendar: BusinessCalendar,
  warnings: PlanWarning[],
): { dueAt: string; basis: DueDateBasis } {
  const { days, hours, businessDays, direction, anchor } = definition.dueOffset;
  const fromTrigger = () => shiftDays(occurredAt, days, 'after', businessDays, calendar).plus({ hours });
  switch (anchor.kind) {
    case 'trigger_time':
      return { dueAt: toInstantString(fromTrigger()), basis: { kind: 'trigger_time' } };
    case 'subject_date': {
      const raw = trigger.subject?.dates?.[anchor.field];
      const date = parseDateInZone(raw, calendar.timezone);
      if (!date) {
        warnings.push({ code: 'subject_date_missing', templateKey: definition.key, field: anchor.field });
        return { dueAt: toInstantString(fromTrigger()), basis: { kind: 'fallback_trigger_time', missingField: anchor.field } };
      }
      const due = shiftDays(date, days, direction, businessDays, calendar).plus({ hours });
      return { dueAt: toInstantString(due), basis: { kind: 'subject_date', field: anchor.field, date: date.toISODate()! } };
    }
    default:
      throw new Error(`unexpected due anchor ${JSON.stringify(anchor satisfies never)}`);
  }
}

function resolveAssignee(definition: TaskTemplateDefinition, trigger: ExpansionTrigger, warnings: PlanWarning[]): string | null {
  const assignee = definition.defaultAssignee;
  switch (assignee.kind) {
    case 'user':
      return assignee.userId;
    case 'lead_assignee': {
      const leadAssignee = trigger.subject?.assigneeId;
      if (leadAssignee) return leadAssignee;
      warnings.push({ code: 'lead_assignee_missing', templateKey: definition.key });
      return null;
    }
    case 'none':
      return null;
    default:
      throw new Error(`unexpected default assignee ${JSON.stringify(assignee satisfies never)}`);
  }
}

function rejectParentCycles(parentOf: ReadonlyMap<string, string>): void {
  for (const start of parentOf.keys()) {
    const path = [start];
    for (let at = parentOf.get(start); at !== undefined; at = parentOf.get(at)) {
      if (at === start) {
        throw DomainError.invalid({ field: 'templates', description: `parent cycle: ${[...path, at].join(' → ')}` });
      }
      if (path.includes(at)) break; // a cycle that does not pass through `start`; found from its own members
      path.push(at);
    }
  }
}

/** Kahn's algorithm, always taking the smallest ready key, so the order is total and stable. */
function topologicalOrder(keys: readonly string[], blockersOf: ReadonlyMap<string, readonly string[]>): string[] {
  const pending = new Map(keys.map((key) => [key, new Set(blockersOf.get(key))]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending.entries()].filter(([, blockers]) => blockers.size === 0).map(([key]) => key);
    if (ready.length === 0) {
      throw DomainError.invalid({ field: 'templates', description: `dependency cycle: ${findCycle(pending).join(' → ')}` });
    }
    const next = ready.sort()[0]!;
    order.push(next);
    pending.delete(next);
    for (const blockers of pending.values()) blockers.delete(next);
  }
  return order;
}

function findCycle(pending: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const start = [...pending.keys()].sort()[0]!;
  const path = [start];
  for (;;) {
    const current = path[path.length - 1]!;
    const next = [...pending.get(current)!].sort()[0]!;
    const seen = path.indexOf(next);
    if (seen >= 0) return [...path.slice(seen), next];
    path.push(next);
  }
}
