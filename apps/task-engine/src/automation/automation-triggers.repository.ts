import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { OrmUnitOfWork } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';

/** A trigger caused by automation that the loop guard let through. */
export interface AdmittedTrigger {
  readonly triggerEventId: string;
  readonly tenantId: string;
  readonly depth: number;
  readonly recordedAt: Date;
}

/**
 * The `automation_triggers` window the loop guard counts. It writes, so it runs in a writable
 * transaction of the trigger's tenant rather than the read-only query scope.
 */
@Injectable()
export class AutomationTriggersRepository {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  /** Triggers of the tenant recorded after `since`, leaving out `excludingEventId` so that a retried activity does not count itself. */
  async countRecent(tenantId: string, since: Date, excludingEventId: string): Promise<number> {
    return new OrmUnitOfWork(this.orm, { tenantId }).transactional(async (tx) => {
      const [row] = await tx.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM automation_triggers WHERE tenant_id = $1 AND recorded_at > $2 AND trigger_event_id <> $3`,
        [tenantId, since, excludingEventId],
      );
      return Number(row?.n ?? 0);
    });
  }

  /** Idempotent: a trigger already recorded keeps its first row. */
  async record(trigger: AdmittedTrigger): Promise<void> {
    await new OrmUnitOfWork(this.orm, { tenantId: trigger.tenantId }).transactional((tx) =>
      tx.query(
        `INSERT INTO automation_triggers (trigger_event_id, tenant_id, depth, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [trigger.triggerEventId, trigger.tenantId, trigger.depth, trigger.recordedAt],
      ),
    );
  }
}
