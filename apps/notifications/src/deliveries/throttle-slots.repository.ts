import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { OrmUnitOfWork } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';

export interface ThrottleSlotRequest {
  readonly tenantId: string;
  readonly ruleId: string;
  readonly recipientId: string;
  readonly windowStart: Date;
  readonly deliveryId: string;
  readonly limit: number;
}

/**
 * A rule's throttle (at most N messages per recipient per window), one row per delivery that got a
 * slot. Taking a slot is idempotent by delivery id (an activity retried after it took one keeps it)
 * and exact: the (rule, recipient, window) is locked for the count and the insert, so deliveries
 * racing for the last slot cannot both get it.
 */
@Injectable()
export class ThrottleSlots {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  take(request: ThrottleSlotRequest): Promise<boolean> {
    const { tenantId, ruleId, recipientId, windowStart, deliveryId, limit } = request;
    return new OrmUnitOfWork(this.orm, { tenantId }).transactional(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`throttle:${tenantId}:${ruleId}:${recipientId}:${windowStart.toISOString()}`]);
      const [held] = await tx.query<{ n: number }>('SELECT 1 AS n FROM throttle_slots WHERE delivery_id = $1', [deliveryId]);
      if (held) return true;
      const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM throttle_slots WHERE tenant_id = $1 AND rule_id = $2 AND recipient_id = $3 AND window_start = $4',
        [tenantId, ruleId, recipientId, windowStart],
      );
      if (n >= limit) return false;
      await tx.query('INSERT INTO throttle_slots (delivery_id, tenant_id, rule_id, recipient_id, window_start) VALUES ($1, $2, $3, $4, $5)', [
        deliveryId,
        tenantId,
        ruleId,
        recipientId,
        windowStart,
      ]);
      return true;
    });
  }
}
