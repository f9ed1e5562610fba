import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type EventStore, type GlobalPosition, qualifiedTable, type RecordedEvent } from '@projectflo/platform/core';
import { OrmUnitOfWork, type Projection, rebuildProjection } from '@projectflo/platform/persistence';
import { crmEntities, crmProjections, crmReadModelAccepts } from './crm-read-model';

/** Every table the crm read-model consumer writes; a rebuild truncates exactly these. */
export const CRM_READ_MODEL_TABLES: readonly string[] = crmProjections.flatMap((p) => p.tables);

/** Entities the ORM of a rebuild must know (the projections create them through `em`). */
export const CRM_READ_MODEL_ENTITIES = crmEntities;

/** Key of the rebuild's row in `projection_checkpoints` (where and when the last rebuild ended). */
export const CRM_READ_MODEL_CHECKPOINT = 'crm-read-model';

export interface CrmReadModelRebuildOptions {
  /** An ORM on the service schema (its read model); `store` must be the same schema's event store. */
  readonly orm: MikroORM;
  readonly store: Pick<EventStore, 'readAll'>;
  readonly pageSize?: number;
}

export interface ReadModelRebuildReport {
  readonly eventsRead: number;
  readonly eventsApplied: number;
  /** Handled events recorded with a payload version or a payload the read model refuses (the consumer dead-letters them). */
  readonly eventsSkipped: number;
  readonly lastPosition: GlobalPosition | undefined;
  /** Rows per table, counted right after the commit. */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * Rebuilds the whole crm read model from crm's event store (all projections together, swapped in
 * at once by rebuildProjection, so no reader ever sees organizations rebuilt but leads not, and no
 * transaction spans the replay). Each event goes through
 * the projection the live consumer registered for its type, and is flushed after each event as
 * `projectEvent` does, so later events of the page find the rows earlier ones made.
 */
export async function rebuildCrmReadModel(options: CrmReadModelRebuildOptions): Promise<ReadModelRebuildReport> {
  const byType = new Map<string, Projection>();
  for (const projection of crmProjections) for (const type of projection.handles) byType.set(type, projection);
  let applied = 0;
  let skipped = 0;
  const readModel: Projection = {
    name: CRM_READ_MODEL_CHECKPOINT,
    handles: [...byType.keys()],
    tables: CRM_READ_MODEL_TABLES,
    async apply(em: EntityManager, event: RecordedEvent): Promise<void> {
      const projection = byType.get(event.type);
      if (!projection) return;
      if (!crmReadModelAccepts(event)) {
        skipped++;
        return;
      }
      await projection.apply(em, event);
      await em.flush();
      applied++;
    },
  };
  const result = await rebuildProjection({ orm: options.orm, store: options.store, projection: readModel, pageSize: options.pageSize });
  return {
    eventsRead: result.eventsRead,
    eventsApplied: applied,
    eventsSkipped: skipped,
    lastPosition: result.lastPosition,
    rows: await countRows(options.orm, CRM_READ_MODEL_TABLES),
  };
}

async function countRows(orm: MikroORM, tables: readonly string[]): Promise<Record<string, number>> {
  const schema = orm.config.get('schema') ?? '';
  return new OrmUnitOfWork(orm).transactional(async (tx) => {
    const rows: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${qualifiedTable(schema, table)}`);
      rows[table] = row?.n ?? 0;
    }
    return rows;
  });
}
