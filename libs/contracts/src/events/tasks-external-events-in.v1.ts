import { z } from 'zod';
import { id, instant, jsonObject, requiredText } from './payload-fields';
import { MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1 } from './tasks-external-event.v1';
import { eventTypeKey } from './tasks-fields';

/**
 * Where systems outside ProjectFlo (a booking form, a payment provider bridge) publish events for
 * ingestion: plain JSON, no CloudEvents envelope, keyed by tenantId.
 */
export const TASKS_EXTERNAL_EVENTS_INBOUND_TOPIC_V1 = 'tasks.external-events.in.v1';

/**
 * A message on `tasks.external-events.in.v1`. The task-engine maps it to IngestExternalEvent with
 * eventId = externalEventId(tenantId, idempotencyKey) and a request id derived from the same key,
 * so a redelivered message is a no-op. `automationDepth` lets cooperating producers that react to
 * ProjectFlo's own events take part in the loop guard.
 */
export const ExternalEventInboundMessageV1 = z.object({
  schemaVersion: z.literal(1),
  tenantId: id,
  idempotencyKey: requiredText(200),
  eventTypeKey,
  subjectId: id,
  occurredAt: instant,
  payload: jsonObject(MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1),
  /**
   * Who the producer says it acts for. Ignored: the recorded actor is the producer's credential
   * identity, `inbound:<tenantId>` (a message cannot forge the audit trail); accepted so older
   * producers keep working.
   */
  actorId: id.optional(),
  automationDepth: z.number().int().min(0).max(100).optional(),
});

export type ExternalEventInboundMessagePayloadV1 = z.infer<typeof ExternalEventInboundMessageV1>;
