import { assertNever, DomainError, DomainErrorCode, defineDecider } from '@projectflo/platform/core';
import { toInstantString } from '../shared/time';
import { checkEventTypeKey, checkId, checkText, FIELD_NAME_PATTERN, LIMITS, optionalText, Violations } from '../shared/validation';
import type { DefineEventType, EventTypeCommand, RetireEventType } from './event-type.commands';
import type { EventTypeEvent } from './event-type.events';

/**
 * The catalog of a tenant's event types, one stream per tenant (`event-types-<tenantId>`), so that
 * key uniqueness is decided inside one aggregate. A key is never reused, not even after its type is
 * retired: ingested events and templates keep referring to it.
 */
export interface EventTypeEntry {
  readonly eventTypeId: string;
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
  readonly subjectDateFields: readonly string[];
  readonly retired: boolean;
  readonly definedAt: string;
}

export interface EventTypeCatalogState {
  readonly eventTypes: Readonly<Record<string, EventTypeEntry>>;
}

export const initialEventTypeCatalogState = (): EventTypeCatalogState => ({ eventTypes: {} });

/** One event type as its events tell it: the catalog folds each entry with it, the read model stores it. */
export function evolveEventType(entry: EventTypeEntry | undefined, event: EventTypeEvent): EventTypeEntry | undefined {
  switch (event.type) {
    case 'EventTypeDefined': {
      const { eventTypeId, key, name, description, subjectDateFields, definedAt } = event.data;
      return { eventTypeId, key, name, description, subjectDateFields, retired: false, definedAt };
    }
    case 'EventTypeRetired':
      return entry && { ...entry, retired: true };
    default:
      return assertNever(event, 'event type event');
  }
}

export function evolveEventTypeCatalog(state: EventTypeCatalogState, event: EventTypeEvent): EventTypeCatalogState {
  const entry = evolveEventType(state.eventTypes[event.data.eventTypeId], event);
  return entry ? { eventTypes: { ...state.eventTypes, [entry.eventTypeId]: entry } } : state;
}

export function findEventTypeByKey(state: EventTypeCatalogState, key: string): EventTypeEntry | undefined {
  return Object.values(state.eventTypes).find((entry) => entry.key === key);
}

/**
 * For the ingestion handler (the catalog and the external event are different aggregates): an
 * external event may only be ingested for a defined, active type of its tenant.
 */
export function requireActiveEventType(state: EventTypeCatalogState, key: string): EventTypeEntry {
  const entry = findEventTypeByKey(state, key);
  if (!entry) throw DomainError.notFound('event type', key);
  if (entry.retired) throw DomainError.precondition(`event type ${key} is retired`, { eventTypeKey: key });
  return entry;
}

function decideDefine(command: DefineEventType, state: EventTypeCatalogState): EventTypeEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  checkId(v, data.eventTypeId, 'event_type_id');
  checkEventTypeKey(v, data.key, 'key');
  checkText(v, data.name, 'name', { required: true, max: LIMITS.name });
  const description = optionalText(v, data.description, 'description', LIMITS.description);
  const fields = data.subjectDateFields ?? [];
  if (!Array.isArray(fields)) {
    v.add('subject_date_fields', 'must be a list');
  } else {
    if (fields.length > LIMITS.subjectDateFields) v.add('subject_date_fields', `must have at most ${LIMITS.subjectDateFields} entries`);
    fields.forEach((field, i) => {
      checkText(v, field, `subject_date_fields[${i}]`, {
        required: true,
        max: LIMITS.key,
        pattern: FIELD_NAME_PATTERN,
        patternDescription: 'must be a snake_case field name such as event_date',
      });
      if (fields.indexOf(field) !== i) v.add(`subject_date_fields[${i}]`, 'is listed twice');
    });
  }
  v.throwIfAny();

  const existing = state.eventTypes[data.eventTypeId];
  if (existing) {
    const same =
      !existing.retired &&
      existing.key === data.key &&
      existing.name === data.name &&
      existing.description === description &&
      JSON.stringify(existing.subjectDateFields) === JSON.stringify(fields);
    // A retried definition is a no-op; a different one under the same id is a client error.
    if (same) return [];
    throw DomainError.alreadyExists('event type', data.eventTypeId);
  }
  const sameKey = findEventTypeByKey(state, data.key);
  if (sameKey) {
    throw new DomainError(
      DomainErrorCode.AlreadyExists,
      `event type key ${data.key} is already used by ${sameKey.eventTypeId}${sameKey.retired ? ' (retired; keys are never reused)' : ''}`,
      [],
      { key: data.key, eventTypeId: sameKey.eventTypeId, retired: sameKey.retired },
    );
  }
  return [
    {
      type: 'EventTypeDefined',
      data: {
        tenantId: metadata.tenantId,
        eventTypeId: data.eventTypeId,
        key: data.key,
        name: data.name,
        description,
        subjectDateFields: [...fields],
        definedBy: metadata.actorId,
        definedAt: toInstantString(metadata.now),
      },
    },
  ];
}

function decideRetire(command: RetireEventType, state: EventTypeCatalogState): EventTypeEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  checkId(v, data.eventTypeId, 'event_type_id');
  const reason = optionalText(v, data.reason, 'reason', LIMITS.reason);
  v.throwIfAny();
  const entry = state.eventTypes[data.eventTypeId];
  if (!entry) throw DomainError.notFound('event type', data.eventTypeId);
  if (entry.retired) throw DomainError.precondition(`event type ${entry.key} is already retired`, { eventTypeId: entry.eventTypeId, key: entry.key });
  return [
    {
      type: 'EventTypeRetired',
      data: {
        tenantId: metadata.tenantId,
        eventTypeId: entry.eventTypeId,
        key: entry.key,
        reason,
        retiredBy: metadata.actorId,
        retiredAt: toInstantString(metadata.now),
      },
    },
  ];
}

export const eventTypeCatalogDecider = defineDecider<EventTypeCatalogState, EventTypeCommand, EventTypeEvent>({
  aggregate: 'event type catalog',
  schemaVersions: { EventTypeDefined: 1, EventTypeRetired: 1 },
  initialState: initialEventTypeCatalogState,
  evolve: evolveEventTypeCatalog,
  decide(command, state) {
    switch (command.type) {
      case 'DefineEventType':
        return decideDefine(command, state);
      case 'RetireEventType':
        return decideRetire(command, state);
      default:
        return assertNever(command, 'event type command');
    }
  },
});
