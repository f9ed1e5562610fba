import { deriveId } from '@projectflo/platform/core';
import { parseHours, type DecimalString } from '../shared/hours';
import {
  checkBoolean,
  checkEventTypeKey,
  checkId,
  checkIntegerInRange,
  checkOneOf,
  checkSlug,
  checkText,
  FIELD_NAME_PATTERN,
  LIMITS,
  optionalText,
  Violations,
} from '../shared/validation';

export const TASK_PRIORITIES = ['Low', 'Medium', 'High', 'Critical'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** What makes a template expand: a lead entering a status, or an external event of a type. */
export type TemplateTrigger =
  | { readonly kind: 'lead_status'; readonly statusId: string }
  | { readonly kind: 'event_type'; readonly eventTypeKey: string };

/** What the due offset counts from: the trigger's occurrence, or a date on the subject (a lead's event date). */
export type DueAnchor = { readonly kind: 'trigger_time' } | { readonly kind: 'subject_date'; readonly field: string };

/**
 * due = anchor shifted by `days` (calendar days, or working days of the tenant's business calendar)
 * in `direction`, then `hours` later. For a subject date anchor the date starts at 00:00 in the
 * tenant's timezone, so `hours` reads as the time of day ("2 days before the wedding, 09:00").
 * `direction: 'before'` only makes sense for a subject date (the trigger time is already past).
 */
export interface DueOffset {
  readonly days: number;
  /** 0..23: whole days belong in `days`, so that one offset has one spelling. */
  readonly hours: number;
  readonly businessDays: boolean;
  readonly direction: 'after' | 'before';
  readonly anchor: DueAnchor;
}

export type DefaultAssignee =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'lead_assignee' }
  | { readonly kind: 'none' };

export interface ChecklistItemDefinition {
  readonly itemKey: string;
  readonly title: string;
}

/**
 * The full definition of one template version. Children are templates too: a child names its
 * parent by `parentKey`, and both share a trigger; `dependsOn` names templates of the same trigger
 * whose tasks must complete before this one is Ready to Start.
 */
export interface TaskTemplateDefinition {
  /** Stable across versions and unique per trigger ([a-z0-9-]); tasks of one expansion refer to each other by it. */
  readonly key: string;
  readonly trigger: TemplateTrigger;
  readonly name: string;
  readonly description: string | null;
  readonly priority: TaskPriority;
  readonly dueOffset: DueOffset;
  readonly defaultAssignee: DefaultAssignee;
  readonly phase: string | null;
  readonly effortHours: DecimalString;
  readonly metadata: Readonly<Record<string, string>>;
  readonly checklist: readonly ChecklistItemDefinition[];
  readonly parentKey: string | null;
  readonly dependsOn: readonly string[];
  readonly allowCompleteWithOpenSubtasks: boolean;
}

/** One version of one template, as the expansion planner takes it. */
export interface TemplateVersion {
  readonly templateId: string;
  readonly version: number;
  readonly definition: TaskTemplateDefinition;
}

export function triggerKey(trigger: TemplateTrigger): string {
  return trigger.kind === 'lead_status' ? `lead_status:${trigger.statusId}` : `event_type:${trigger.eventTypeKey}`;
}

export function sameTrigger(a: TemplateTrigger, b: TemplateTrigger): boolean {
  return triggerKey(a) === triggerKey(b);
}

/**
 * Template ids are derived from (tenant, trigger, key): one stream per key and trigger, so the
 * uniqueness of keys per trigger is enforced by the event store itself.
 */
export function taskTemplateId(tenantId: string, trigger: TemplateTrigger, key: string): string {
  return deriveId('task-template', tenantId, triggerKey(trigger), key);
}

/**
 * Validates a definition and returns it normalised (canonical hours, defaults filled, no extra
 * properties). Every violation names its field in the API's snake_case spelling.
 */
export function validateTemplateDefinition(input: TaskTemplateDefinition, prefix = ''): TaskTemplateDefinition {
  const v = new Violations();
  const f = (name: string) => `${prefix}${name}`;
  const d = (input ?? {}) as Partial<Record<keyof TaskTemplateDefinition, unknown>>;

  checkSlug(v, d.key, f('key'));
  const trigger = validateTrigger(v, d.trigger, f('trigger'));
  checkText(v, d.name, f('name'), { required: true, max: LIMITS.name });
  const description = optionalText(v, d.description, f('description'), LIMITS.description);
  checkOneOf(v, d.priority, f('priority'), TASK_PRIORITIES);
  const dueOffset = validateDueOffset(v, d.dueOffset, f('due_offset'));
  const defaultAssignee = validateAssignee(v, d.defaultAssignee, f('default_assignee'));
  const phaseText = optionalText(v, d.phase, f('phase'), LIMITS.phase);
  const effortHours = parseHours(v, d.effortHours ?? '0', f('effort_hours'), { allowZero: true });
  const metadata = validateMetadata(v, d.metadata ?? {}, f('metadata'));
  const checklist = validateChecklist(v, d.checklist ?? [], f('checklist'));
  const parentKey = d.parentKey === undefined || d.parentKey === null || d.parentKey === '' ? null : d.parentKey;
  if (parentKey !== null && checkSlug(v, parentKey, f('parent_key')) && parentKey === d.key) {
    v.add(f('parent_key'), 'a template cannot be its own parent');
  }
  const dependsOn = validateDependsOn(v, d.dependsOn ?? [], d.key, f('depends_on'));
  const allow = d.allowCompleteWithOpenSubtasks ?? false;
  checkBoolean(v, allow, f('allow_complete_with_open_subtasks'));
  v.throwIfAny();

  return {
    key: d.key as string,
    trigger: trigger!,
    name: d.name as string,
    description,
    priority: d.priority as TaskPriority,
    dueOffset: dueOffset!,
    defaultAssignee: defaultAssignee!,
    phase: phaseText === null || phaseText.trim() === '' ? null : phaseText,
    effortHours: effortHours!,
    metadata: metadata!,
    checklist: checklist!,
    parentKey: parentKey as string | null,
    dependsOn: dependsOn!,
    allowCompleteWithOpenSubtasks: allow as boolean,
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function validateTrigger(v: Violations, value: unknown, field: string): TemplateTrigger | undefined {
  const t = asRecord(value);
  if (!t) {
    v.add(field, 'is required');
    return undefined;
  }
  if (t['kind'] === 'lead_status') {
    return checkId(v, t['statusId'], `${field}.status_id`) ? { kind: 'lead_status', statusId: t['statusId'] } : undefined;
  }
  if (t['kind'] === 'event_type') {
    return checkEventTypeKey(v, t['eventTypeKey'], `${field}.event_type_key`)
      ? { kind: 'event_type', eventTypeKey: t['eventTypeKey'] }
      : undefined;
  }
  v.add(`${field}.kind`, 'must be lead_status or event_type');
  return undefined;
}

function validateDueOffset(v: Violations, value: unknown, field: string): DueOffset | undefined {
  const o = asRecord(value);
  if (!o) {
    v.add(field, 'is required');
    return undefined;
  }
  const before = v.count;
  checkIntegerInRange(v, o['days'], `${field}.days`, 0, 3650);
  const hours = o['hours'] ?? 0;
  checkIntegerInRange(v, hours, `${field}.hours`, 0, 23);
  const businessDays = o['businessDays'] ?? false;
  checkBoolean(v, businessDays, `${field}.business_days`);
  const direction = o['direction'] ?? 'after';
  checkOneOf(v, direction, `${field}.direction`, ['after', 'before'] as const);
  const a = asRecord(o['anchor'] ?? { kind: 'trigger_time' });
  let anchor: DueAnchor | undefined;
  if (a?.['kind'] === 'trigger_time') {
    anchor = { kind: 'trigger_time' };
  } else if (a?.['kind'] === 'subject_date') {
    if (
      checkText(v, a['field'], `${field}.anchor.field`, {
        required: true,
        max: LIMITS.key,
        pattern: FIELD_NAME_PATTERN,
        patternDescription: 'must be a snake_case subject date field such as event_date',
      })
    ) {
      anchor = { kind: 'subject_date', field: a['field'] };
    }
  } else {
    v.add(`${field}.anchor.kind`, 'must be trigger_time or subject_date');
  }
  if (direction === 'before' && anchor?.kind === 'trigger_time') {
    v.add(`${field}.direction`, '"before" needs a subject date anchor: the trigger time is already past');
  }
  if (v.count > before || !anchor) return undefined;
  return {
    days: o['days'] as number,
    hours: hours as number,
    businessDays: businessDays as boolean,
    direction: direction as 'after' | 'before',
    anchor,
  };
}

function validateAssignee(v: Violations, value: unknown, field: string): DefaultAssignee | undefined {
  const a = asRecord(value ?? { kind: 'none' });
  switch (a?.['kind']) {
    case 'none':
      return { kind: 'none' };
    case 'lead_assignee':
      return { kind: 'lead_assignee' };
    case 'user':
      return checkId(v, a['userId'], `${field}.user_id`) ? { kind: 'user', userId: a['userId'] } : undefined;
    default:
      v.add(`${field}.kind`, 'must be user, lead_assignee or none');
      return undefined;
  }
}

function validateMetadata(v: Violations, value: unknown, field: string): Record<string, string> | undefined {
  const m = asRecord(value);
  if (!m) {
    v.add(field, 'must be a map of strings');
    return undefined;
  }
  const entries = Object.entries(m);
  if (entries.length > LIMITS.metadataEntries) v.add(field, `must have at most ${LIMITS.metadataEntries} entries`);
  const out: Record<string, string> = {};
  for (const [key, val] of entries) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(key)) v.add(`${field}.${key.slice(0, 64)}`, 'key must be 1-64 letters, digits, "_", "." or "-"');
    else if (checkText(v, val, `${field}.${key}`, { required: false, max: LIMITS.metadataValue })) out[key] = val;
  }
  return out;
}

function validateChecklist(v: Violations, value: unknown, field: string): ChecklistItemDefinition[] | undefined {
  if (!Array.isArray(value)) {
    v.add(field, 'must be a list');
    return undefined;
  }
  if (value.length > LIMITS.checklistItems) v.add(field, `must have at most ${LIMITS.checklistItems} items`);
  const seen = new Set<string>();
  return value.map((raw: unknown, i) => {
    const item = asRecord(raw) ?? {};
    const itemKey = item['itemKey'];
    if (checkSlug(v, itemKey, `${field}[${i}].item_key`)) {
      if (seen.has(itemKey)) v.add(`${field}[${i}].item_key`, `duplicates item key ${itemKey}`);
      seen.add(itemKey);
    }
    checkText(v, item['title'], `${field}[${i}].title`, { required: true, max: LIMITS.checklistTitle });
    return { itemKey: itemKey as string, title: item['title'] as string };
  });
}

function validateDependsOn(v: Violations, value: unknown, ownKey: unknown, field: string): string[] | undefined {
  if (!Array.isArray(value)) {
    v.add(field, 'must be a list of template keys');
    return undefined;
  }
  if (value.length > LIMITS.dependsOn) v.add(field, `must have at most ${LIMITS.dependsOn} entries`);
  value.forEach((key: unknown, i) => {
    if (!checkSlug(v, key, `${field}[${i}]`)) return;
    if (key === ownKey) v.add(`${field}[${i}]`, 'a template cannot depend on itself');
    else if (value.indexOf(key) !== i) v.add(`${field}[${i}]`, `lists ${key} twice`);
  });
  return [...value] as string[];
}
