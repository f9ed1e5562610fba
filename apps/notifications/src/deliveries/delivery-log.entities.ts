import { EntitySchema } from '@mikro-orm/postgresql';
import type { DeliveryRow, DeliveryStepRow } from './delivery-log.view';

const datetime = (fieldName: string) => ({ type: 'datetime', fieldName }) as const;

export const DeliverySchema = new EntitySchema<DeliveryRow>({
  name: 'DeliveryRow',
  tableName: 'deliveries',
  properties: {
    deliveryId: { type: 'string', primary: true, fieldName: 'delivery_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    ruleId: { type: 'string', fieldName: 'rule_id' },
    trigger: { type: 'string' },
    subjectId: { type: 'string', fieldName: 'subject_id' },
    occurrence: { type: 'string' },
    recipientId: { type: 'string', fieldName: 'recipient_id', nullable: true },
    channel: { type: 'string' },
    status: { type: 'string' },
    critical: { type: 'boolean' },
    failedAttempts: { type: 'integer', fieldName: 'failed_attempts' },
    reason: { type: 'text' },
    providerMessageId: { type: 'string', fieldName: 'provider_message_id' },
    requestedAt: datetime('requested_at'),
    updatedAt: datetime('updated_at'),
    version: { type: 'integer' },
  },
});

export const DeliveryStepSchema = new EntitySchema<DeliveryStepRow>({
  name: 'DeliveryStepRow',
  tableName: 'delivery_steps',
  properties: {
    eventId: { type: 'string', primary: true, fieldName: 'event_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    deliveryId: { type: 'string', fieldName: 'delivery_id' },
    streamPosition: { type: 'integer', fieldName: 'stream_position' },
    type: { type: 'string' },
    channel: { type: 'string' },
    detail: { type: 'text' },
    at: datetime('at'),
  },
});
