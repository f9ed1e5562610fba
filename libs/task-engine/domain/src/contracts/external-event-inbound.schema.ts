import { z } from 'zod';
import { MAX_EXTERNAL_EVENT_PAYLOAD_BYTES } from '../external-event/external-event.decider';
import { EVENT_TYPE_KEY_PATTERN, LIMITS } from '../shared/validation';
import { jsonValueSchema } from './task-event.schemas';

/**
 * A message on `tasks.external-events.in.v1`, published by systems outside ProjectFlo (a booking
 * form, a payment provider bridge). Keyed by tenantId. The consumer maps it to IngestExternalEvent
 * with eventId = externalEventId(tenantId, idempotencyKey) and requestId derived from the same key,
 * so a redelivered message is a no-op. `automationDepth` lets cooperating producers that react to
 * ProjectFlo's own events take part in the loop guard.
 */
export const externalEventInboundMessageV1 = z.object({
  schemaVersion: z.literal(1),
  tenantId: z.string().min(1).max(LIMITS.id),
  idempotencyKey: z.string().min(1).max(LIMITS.idempotencyKey),
  eventTypeKey: z.string().max(LIMITS.eventTypeKey).regex(EVENT_TYPE_KEY_PATTERN),
  subjectId: z.string().min(1).max(LIMITS.id),
  occurredAt: z.string().datetime({ offset: true }),
  payload: z
    .record(z.string(), jsonValueSchema)
    .refine((p) => new TextEncoder().encode(JSON.stringify(p)).length <= MAX_EXTERNAL_EVENT_PAYLOAD_BYTES, {
      message: `payload must be at most ${MAX_EXTERNAL_EVENT_PAYLOAD_BYTES} bytes as JSON`,
    }),
  /** Who the producer acts for; the consumer's service identity when absent. */
  actorId: z.string().min(1).max(LIMITS.id).optional(),
  automationDepth: z.number().int().min(0).max(100).optional(),
});

export type ExternalEventInboundMessageV1 = z.infer<typeof externalEventInboundMessageV1>;
