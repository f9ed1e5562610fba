import { assertNever, DomainError, DomainErrorCode, defineDecider, Violations } from '@projectflo/platform/core';
import { toInstantString } from '../shared/time';
import { EVENT_TYPE_KEY_RULE, FIELD_NAME_RULE, LIMITS } from '../shared/text-limits';
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
  const eventTypeId = v.identifier('eventTypeId', data.eventTypeId, LIMITS.id);
  const key = v.text('eventType', data.eventType, EVENT_TYPE_KEY_RULE);
  const name = v.text('name', data.name, { required: true, max: LIMITS.name });
  const description = v.optionalText('description', data.description, { max: LIMITS.description });
  const given: unknown = data.subjectDateFields ?? [];
  const fields: string[] = [];
  if (!Array.isArray(given)) {
    v.add('subjectDateFields', 'must be a list');
  } else {
    if (given.length > LIMITS.subjectDateFields) v.add('subjectDateFields', `must have at most ${LIMITS.subjectDateFields} entries`);
    given.forEach((raw: unknown, i) => {
      const field = v.text(`subjectDateFields[${i}]`, raw, FIELD_NAME_RULE);
      if (fields.includes(field)) v.add(`subjectDateFields[${i}]`, 'is listed twice');
      fields.push(field);
    });
  }
  v.throwIfAny();

  const existing = state.eventTypes[eventTypeId];
  if (existing) {
    const same =
      !existing.retired &&
      existing.key === key &&
      existing.name === name &&
      existing.description === description &&
      JSON.stringify(existing.subjectDateFields) === JSON.stringify(fields);
    // A retried definition is a no-op; a different one under the same id is a client error.
    if (same) return [];
    throw DomainError.alreadyExists('event type', eventTypeId);
  }
  const sameKey = findEventTypeByKey(state, key);
  if (sameKey) {
    throw new DomainError(
      DomainErrorCode.AlreadyExists,
      `event type key ${key} is already used by ${sameKey.eventTypeId}${sameKey.retired ? ' (retired; keys are never reused)' : ''}`,
      [],
      { key, eventTypeId: sameKey.eventTypeId, retired: sameKey.retired },
    );
  }
  return [
    {
      type: 'EventTypeDefined',
      data: {
        tenantId: metadata.tenantId,
        eventTypeId,
        key,
        name,
        description,
        subjectDateFields: fields,
        definedBy: metadata.actorId,
        definedAt: toInstantString(metadata.now),
      },
    },
  ];
}

function decideRetire(command: RetireEventType, state: EventTypeCatalogState): EventTypeEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  v.identifier('eventTypeId', data.eventTypeId, LIMITS.id);
  const reason = v.optionalText('reason', data.reason, { max: LIMITS.reason });
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
