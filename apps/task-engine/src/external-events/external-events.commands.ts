import { Injectable } from '@nestjs/common';
import { MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1, type tasksV1 } from '@projectflo/contracts';
import { deriveId, DomainError } from '@projectflo/platform/core';
import {
  type CommandContext,
  jsonCharacterViolation,
  keepsTextRule,
  requiredTimestamp,
  text,
  validate,
} from '@projectflo/platform/grpc';
import { CommandExecutor, type CommandIssuer, issuerTenantId } from '@projectflo/platform/service';
import {
  eventTypeCatalogDecider,
  externalEventDecider,
  externalEventId,
  isJsonObject,
  LIMITS,
  requireActiveEventType,
  TaskEngineStreams,
  type JsonObject,
} from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { EVENT_TYPE_KEY } from '../shared/proto-mapping';

export interface IngestInput {
  readonly eventType: string;
  readonly subjectId: string;
  readonly payload: JsonObject;
  readonly occurredAt: string;
  readonly idempotencyKey: string;
}

export interface IngestOutcome {
  readonly eventId: string;
  /** True when the key had been ingested before: nothing new was recorded. */
  readonly duplicate: boolean;
}

const ingestRequest = z.object({
  eventType: EVENT_TYPE_KEY,
  subjectId: text(LIMITS.id, { required: true }),
  payloadJson: z
    .string()
    .superRefine(keepsTextRule)
    .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1, `must be at most ${MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1} bytes`),
  occurredAt: requiredTimestamp,
  idempotencyKey: text(LIMITS.idempotencyKey, { required: true }),
});

function parsePayload(text: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw DomainError.invalid({ field: 'payload_json', description: 'must be a JSON object' });
  }
  if (!isJsonObject(parsed)) throw DomainError.invalid({ field: 'payload_json', description: 'must be a JSON object' });
  // An escape such as "\u0000" passes as JSON text but decodes to what the text rule refuses.
  const violation = jsonCharacterViolation(parsed);
  if (violation !== undefined) throw DomainError.invalid({ field: 'payload_json', description: `strings ${violation}` });
  return parsed;
}

/**
 * Records an external event once per (tenant, idempotency key): gRPC callers and the inbound Kafka
 * topic both come through here. The event type must be defined and active in the tenant's catalog
 * (read from its stream, so a type defined a moment ago counts).
 */
@Injectable()
export class ExternalEventCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async ingestRequest(ctx: CommandContext, request: tasksV1.IngestExternalEventRequest): Promise<tasksV1.IngestExternalEventResponse> {
    const valid = validate(ingestRequest, request);
    const outcome = await this.ingest({ context: ctx }, {
      eventType: valid.eventType,
      subjectId: valid.subjectId,
      payload: parsePayload(valid.payloadJson),
      occurredAt: valid.occurredAt.toISOString(),
      idempotencyKey: valid.idempotencyKey,
    });
    return outcome;
  }

  /** Ingests on behalf of a gRPC caller (`{ context }`) or of the inbound topic's consumer (`{ metadata }`). */
  async ingest(issuer: CommandIssuer, input: IngestInput): Promise<IngestOutcome> {
    const tenantId = issuerTenantId(issuer);
    const catalog = await this.executor.load(eventTypeCatalogDecider, TaskEngineStreams.eventTypes(tenantId), tenantId);
    requireActiveEventType(catalog.state, input.eventType);
    const eventId = externalEventId(tenantId, input.idempotencyKey);
    const result = await this.executor.run(externalEventDecider, TaskEngineStreams.externalEvent(eventId), { type: 'IngestExternalEvent', data: { eventId, ...input } }, issuer);
    return { eventId, duplicate: result.duplicate || result.events.length === 0 };
  }
}

/** The request id of an inbound message: one per (tenant, idempotency key), so redelivery is a no-op. */
export function inboundRequestId(tenantId: string, idempotencyKey: string): string {
  return deriveId('inbound-external-event', tenantId, idempotencyKey);
}
