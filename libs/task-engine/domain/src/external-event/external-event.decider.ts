import { MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1 } from '@projectflo/contracts';
import { assertNever, deriveId, DomainError, DomainErrorCode, defineDecider, Violations } from '@projectflo/platform/core';
import { canonicalJson, isJsonObject, utf8ByteLength, type JsonObject } from '../shared/json';
import { parseDateInZone, parseInstant, toInstantString } from '../shared/time';
import { EVENT_TYPE_KEY_RULE, LIMITS } from '../shared/text-limits';
import type { ExternalEventCommand, IngestExternalEvent } from './external-event.commands';
import type { ExternalEventEvent, ExternalEventIngested } from './external-event.events';

/** Producers' clocks drift; an occurrence further in the future than this is refused. */
export const MAX_OCCURRED_AT_SKEW_MS = 5 * 60 * 1000;

/** The one id of an external event: the same (tenant, idempotency key) always gives the same id. */
export function externalEventId(tenantId: string, idempotencyKey: string): string {
  return deriveId('external-event', tenantId, idempotencyKey);
}

export type ExternalEventState =
  | { readonly status: 'none' }
  | { readonly status: 'ingested'; readonly event: ExternalEventIngested['data'] };

export const initialExternalEventState = (): ExternalEventState => ({ status: 'none' });

export function evolveExternalEvent(state: ExternalEventState, event: ExternalEventEvent): ExternalEventState {
  switch (event.type) {
    case 'ExternalEventIngested':
      return state.status === 'none' ? { status: 'ingested', event: event.data } : state;
    default:
      return assertNever(event.type, 'external event event');
  }
}

/**
 * Idempotency: ingesting the same key again with the same content (type, subject, payload,
 * occurrence instant) is a no-op, so producers can retry freely. The same key with different
 * content is ALREADY_EXISTS — the key names a fact that was already recorded differently, which
 * is a producer bug that must not be silently merged or overwritten.
 */
function decideIngest(command: IngestExternalEvent, state: ExternalEventState): ExternalEventEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const eventId = v.identifier('eventId', data.eventId, LIMITS.id);
  const eventType = v.text('eventType', data.eventType, EVENT_TYPE_KEY_RULE);
  const subjectId = v.identifier('subjectId', data.subjectId, LIMITS.id);
  // The key names the fact and derives its id: compared, never trimmed.
  const idempotencyKey = v.text('idempotencyKey', data.idempotencyKey, { required: true, max: LIMITS.idempotencyKey, trim: false });
  const occurredAt = parseInstant(data.occurredAt);
  if (!occurredAt) v.add('occurredAt', 'must be an ISO-8601 instant with an offset, e.g. 2025-06-14T10:00:00Z');
  else if (occurredAt.toMillis() > metadata.now.getTime() + MAX_OCCURRED_AT_SKEW_MS) v.add('occurredAt', 'must not be in the future');
  if (!isJsonObject(data.payload)) {
    v.add('payload', 'must be a JSON object');
  } else if (utf8ByteLength(JSON.stringify(data.payload)) > MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1) {
    v.add('payload', `must be at most ${MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1} bytes as JSON`);
  }
  if (eventId !== '' && idempotencyKey !== '' && eventId !== externalEventId(metadata.tenantId, idempotencyKey)) {
    v.add('eventId', 'must be derived from the tenant and the idempotency key (externalEventId)');
  }
  const depth = v.integer('automationDepth', metadata.automationDepth ?? 0, { min: 0 });
  v.throwIfAny();
  const at = toInstantString(occurredAt!);

  if (state.status === 'ingested') {
    const prior = state.event;
    const same =
      prior.eventTypeKey === eventType &&
      prior.subjectId === subjectId &&
      prior.occurredAt === at &&
      canonicalJson(prior.payload) === canonicalJson(data.payload);
    if (same) return [];
    throw new DomainError(
      DomainErrorCode.AlreadyExists,
      `external event with idempotency key ${data.idempotencyKey} was already ingested with different content`,
      [],
      { eventId: prior.eventId, idempotencyKey: data.idempotencyKey },
    );
  }
  return [
    {
      type: 'ExternalEventIngested',
      data: {
        tenantId: metadata.tenantId,
        eventId,
        eventTypeKey: eventType,
        subjectId,
        payload: data.payload,
        occurredAt: at,
        idempotencyKey: data.idempotencyKey,
        automationDepth: depth,
        ingestedBy: metadata.actorId,
        ingestedAt: toInstantString(metadata.now),
      },
    },
  ];
}

export const externalEventDecider = defineDecider<ExternalEventState, ExternalEventCommand, ExternalEventEvent>({
  aggregate: 'external event',
  schemaVersions: { ExternalEventIngested: 1 },
  initialState: initialExternalEventState,
  evolve: evolveExternalEvent,
  decide: decideIngest,
});

/**
 * The subject dates an expansion can anchor due dates on, read from the payload fields that the
 * event type declares as dates (e.g. `event_date`). Values that are not dates are left out, so a
 * template anchored on them falls back to the trigger time (and says so).
 */
export function subjectDatesFromPayload(
  payload: JsonObject,
  subjectDateFields: readonly string[],
): Readonly<Record<string, string>> {
  const dates: Record<string, string> = {};
  for (const field of subjectDateFields) {
    const value = payload[field];
    if (typeof value === 'string' && parseDateInZone(value, 'utc')) dates[field] = value;
  }
  return dates;
}
