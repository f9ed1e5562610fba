import { rowProjection } from '@projectflo/platform/persistence';
import { DeliverySchema, DeliveryStepSchema } from './delivery-log.entities';
import { deliveryStepOf, evolveDeliveryRow } from './delivery-log.view';
import { deliveryDecider } from './delivery.decider';

/** The delivery log: one row per delivery and one step per event beside it (idempotent by the row's version and the inbox). */
export const deliveryLogProjection = rowProjection({
  name: 'notifications-delivery-log',
  handles: Object.keys(deliveryDecider.schemaVersions),
  entity: DeliverySchema,
  table: 'deliveries',
  key: (event) => ({ deliveryId: (event.data as { deliveryId: string }).deliveryId }),
  fold: evolveDeliveryRow,
  alongside: {
    tables: ['delivery_steps'],
    apply: (em, event) => {
      em.create(DeliveryStepSchema, { ...deliveryStepOf(event), eventId: event.eventId, tenantId: event.metadata.tenantId, streamPosition: event.streamPosition });
    },
  },
});
