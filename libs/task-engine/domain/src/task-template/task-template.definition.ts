import { codePointLength, deriveId, Violations } from '@projectflo/platform/core';
import { parseHours, type DecimalString } from '../shared/hours';
import { EVENT_TYPE_KEY_RULE, FIELD_NAME_RULE, LIMITS, SLUG_RULE } from '../shared/text-limits';

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
 * Validates a definition and returns it normalised (text trimmed, canonical hours, defaults
 * filled, no extra properties). Violations name fields as the domain does (`dueOffset.days`),
 * under `prefix` (`template.` for a request, `templates[2].` for the planner's input).
 */
export function validateTemplateDefinition(input: TaskTemplateDefinition, prefix = ''): TaskTemplateDefinition {
  const v = new Violations();
  const f = (name: string) => `${prefix}${name}`;
  const d = (input ?? {}) as Partial<Record<keyof TaskTemplateDefinition, unknown>>;

  const key = v.text(f('key'), d.key, SLUG_RULE);
  const trigger = validateTrigger(v, d.trigger, f('trigger'));
  const name = v.text(f('name'), d.name, { required: true, max: LIMITS.name });
  const description = v.optionalText(f('description'), d.description, { max: LIMITS.description });
  const priority = v.oneOf(f('priority'), d.priority, TASK_PRIORITIES);
  const dueOffset = validateDueOffset(v, d.dueOffset, f('dueOffset'));
  const defaultAssignee = validateAssignee(v, d.defaultAssignee, f('defaultAssignee'));
  const phase = v.optionalText(f('phase'), d.phase, { max: LIMITS.phase });
  const effortHours = parseHours(v, d.effortHours ?? '0', f('effortHours'), { allowZero: true });
  const metadata = validateMetadata(v, d.metadata ?? {}, f('metadata'));
  const checklist = validateChecklist(v, d.checklist ?? [], f('checklist'));
  const parentKey = v.optionalText(f('parentKey'), d.parentKey, SLUG_RULE);
  if (parentKey !== null && parentKey === key) v.add(f('parentKey'), 'a template cannot be its own parent');
  const dependsOn = validateDependsOn(v, d.dependsOn ?? [], key, f('dependsOn'));
  const allowCompleteWithOpenSubtasks = v.boolean(f('allowCompleteWithOpenSubtasks'), d.allowCompleteWithOpenSubtasks ?? false);
  v.throwIfAny();

  return {
    key,
    trigger: trigger!,
    name,
    description,
    priority,
    dueOffset: dueOffset!,
    defaultAssignee: defaultAssignee!,
    phase,
    effortHours: effortHours!,
    metadata: metadata!,
    checklist: checklist!,
    parentKey,
    dependsOn: dependsOn!,
    allowCompleteWithOpenSubtasks,
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
  const before = v.count;
  if (t['kind'] === 'lead_status') {
    const statusId = v.identifier(`${field}.statusId`, t['statusId'], LIMITS.id);
    return v.count > before ? undefined : { kind: 'lead_status', statusId };
  }
  if (t['kind'] === 'event_type') {
    const eventTypeKey = v.text(`${field}.eventTypeKey`, t['eventTypeKey'], EVENT_TYPE_KEY_RULE);
    return v.count > before ? undefined : { kind: 'event_type', eventTypeKey };
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
  const days = v.integer(`${field}.days`, o['days'], { min: 0, max: 3650 });
  const hours = v.integer(`${field}.hours`, o['hours'] ?? 0, { min: 0, max: 23 });
  const businessDays = v.boolean(`${field}.businessDays`, o['businessDays'] ?? false);
  const direction = v.oneOf(`${field}.direction`, o['direction'] ?? 'after', ['after', 'before'] as const);
  const a = asRecord(o['anchor'] ?? { kind: 'trigger_time' });
  let anchor: DueAnchor | undefined;
  if (a?.['kind'] === 'trigger_time') {
    anchor = { kind: 'trigger_time' };
  } else if (a?.['kind'] === 'subject_date') {
    anchor = { kind: 'subject_date', field: v.text(`${field}.anchor.field`, a['field'], FIELD_NAME_RULE) };
  } else {
    v.add(`${field}.anchor.kind`, 'must be trigger_time or subject_date');
  }
  if (direction === 'before' && anchor?.kind === 'trigger_time') {
    v.add(`${field}.direction`, '"before" needs a subject date anchor: the trigger time is already past');
  }
  if (v.count > before || !anchor) return undefined;
  return { days, hours, businessDays, direction, anchor };
}

function validateAssignee(v: Violations, value: unknown, field: string): DefaultAssignee | undefined {
  const a = asRecord(value ?? { kind: 'none' });
  switch (a?.['kind']) {
    case 'none':
      return { kind: 'none' };
    case 'lead_assignee':
      return { kind: 'lead_assignee' };
    case 'user': {
      const before = v.count;
      const userId = v.identifier(`${field}.userId`, a['userId'], LIMITS.id);
      return v.count > before ? undefined : { kind: 'user', userId };
    }
    default:
      v.add(`${field}.kind`, 'must be user, lead_assignee or none');
      return undefined;
  }
}

const METADATA_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Reported on the map, never under a key: a key is the client's text, and the edge would read its
 * capitals as a camelCase field name.
 */
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
    if (!METADATA_KEY.test(key)) v.add(field, 'keys must be 1-64 letters, digits, "_", "." or "-"');
    else if (typeof val !== 'string') v.add(field, `the value of ${key} must be a string`);
    else if (codePointLength(val) > LIMITS.metadataValue) v.add(field, `the value of ${key} must be at most ${LIMITS.metadataValue} characters`);
    else out[key] = val;
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
    const itemKey = v.text(`${field}[${i}].itemKey`, item['itemKey'], SLUG_RULE);
    if (itemKey !== '' && seen.has(itemKey)) v.add(`${field}[${i}].itemKey`, `duplicates item key ${itemKey}`);
    seen.add(itemKey);
    const title = v.text(`${field}[${i}].title`, item['title'], { required: true, max: LIMITS.checklistTitle });
    return { itemKey, title };
  });
}

function validateDependsOn(v: Violations, value: unknown, ownKey: string, field: string): string[] | undefined {
  if (!Array.isArray(value)) {
    v.add(field, 'must be a list of template keys');
    return undefined;
  }
  if (value.length > LIMITS.dependsOn) v.add(field, `must have at most ${LIMITS.dependsOn} entries`);
  const keys: string[] = [];
  value.forEach((raw: unknown, i) => {
    const key = v.text(`${field}[${i}]`, raw, SLUG_RULE);
    if (key === '') return;
    if (key === ownKey) v.add(`${field}[${i}]`, 'a template cannot depend on itself');
    else if (keys.includes(key)) v.add(`${field}[${i}]`, `lists ${key} twice`);
    keys.push(key);
  });
  return keys;
}
