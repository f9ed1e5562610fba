import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@projectflo/platform/core';
import { enumMapping, idRequestSchema, isTimestampInstant, pageRequest, presenceUuid, type RequestContext, text, toPage, toTimestamp, uuid, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { notificationDeliveriesV1 } from '@projectflo/contracts';
import { z } from 'zod';
import { notificationChannel, notificationTrigger } from '../rules/rules.mapping';
import type { DeliveryStatus } from './delivery.decider';
import { DeliverySchema, DeliveryStepSchema } from './delivery-log.entities';
import type { DeliveryRow } from './delivery-log.view';

const deliveryStatus = enumMapping<notificationDeliveriesV1.DeliveryStatus, DeliveryStatus>(notificationDeliveriesV1.DeliveryStatus, {
  DELIVERY_STATUS_REQUESTED: 'requested',
  DELIVERY_STATUS_DEFERRED: 'deferred',
  DELIVERY_STATUS_DELIVERED: 'delivered',
  DELIVERY_STATUS_FAILED: 'failed',
  DELIVERY_STATUS_SUPPRESSED: 'suppressed',
});

/** Where the previous page ended: the (requested_at, delivery_id) of its last delivery. */
const cursorSchema = z.object({ t: z.string().datetime().refine(isTimestampInstant), id: uuid });
type Cursor = z.infer<typeof cursorSchema>;
const cursorOf = (row: DeliveryRow): Cursor => ({ t: row.requestedAt.toISOString(), id: row.deliveryId });

const listRequest = z.object({
  subjectId: text(128),
  ruleId: presenceUuid,
  recipientId: text(128),
  page: pageRequest(cursorSchema),
});

function deliveryToProto(row: DeliveryRow): notificationDeliveriesV1.Delivery {
  return {
    deliveryId: row.deliveryId,
    ruleId: row.ruleId,
    trigger: notificationTrigger.toProto(row.trigger),
    subjectId: row.subjectId,
    occurrence: row.occurrence,
    recipientId: row.recipientId ?? '',
    channel: notificationChannel.toProto(row.channel),
    status: deliveryStatus.toProto(row.status),
    critical: row.critical,
    failedAttempts: row.failedAttempts,
    reason: row.reason,
    providerMessageId: row.providerMessageId,
    requestedAt: toTimestamp(row.requestedAt),
    updatedAt: toTimestamp(row.updatedAt),
  };
}

/** The delivery log (GetDeliveryLog, ListDeliveries), read in the caller's tenant scope: another tenant's delivery is NOT_FOUND. */
@Injectable()
export class DeliveryLogQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  get(ctx: RequestContext, request: notificationDeliveriesV1.GetDeliveryLogRequest): Promise<notificationDeliveriesV1.GetDeliveryLogResponse> {
    const { deliveryId } = validate(idRequestSchema('deliveryId'), request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const row = await em.findOne(DeliverySchema, { deliveryId });
      if (!row) throw DomainError.notFound('delivery', deliveryId);
      const steps = await em.find(DeliveryStepSchema, { deliveryId }, { orderBy: { streamPosition: 'asc' } });
      return {
        delivery: deliveryToProto(row),
        steps: steps.map((s) => ({ type: s.type, channel: notificationChannel.toProto(s.channel), detail: s.detail, at: toTimestamp(s.at) })),
      };
    });
  }

  /** Newest first, keyset-paged on (requested_at, delivery_id). */
  list(ctx: RequestContext, request: notificationDeliveriesV1.ListDeliveriesRequest): Promise<notificationDeliveriesV1.ListDeliveriesResponse> {
    const parsed = validate(listRequest, request);
    const { size, after: cursor } = parsed.page;
    const where: FilterQuery<DeliveryRow>[] = [{ tenantId: ctx.tenantId }];
    if (parsed.subjectId !== '') where.push({ subjectId: parsed.subjectId });
    if (parsed.ruleId !== undefined) where.push({ ruleId: parsed.ruleId });
    if (parsed.recipientId !== '') where.push({ recipientId: parsed.recipientId });
    if (cursor) {
      const t = new Date(cursor.t);
      where.push({ $or: [{ requestedAt: { $lt: t } }, { requestedAt: t, deliveryId: { $lt: cursor.id } }] });
    }
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(DeliverySchema, { $and: where }, { orderBy: { requestedAt: 'desc', deliveryId: 'desc' }, limit: size + 1 });
      const { items, nextPageToken } = toPage(rows, { size }, cursorOf);
      return { deliveries: items.map(deliveryToProto), page: { nextPageToken } };
    });
  }
}
