import type { MikroORM } from '@mikro-orm/postgresql';
import { type EventStore, type GlobalPosition, qualifiedTable } from '@projectflo/platform/core';
import { OrmUnitOfWork, rebuildProjection } from '@projectflo/platform/persistence';
import { READ_MODEL_TABLES, taskEngineReadModelProjection } from './read-model.projection';

/**
 * The tables a rebuild truncates and refills: those of the read-model consumer only. `subjects`
 * (fed from crm.lead.v1), `blocker_links`/`finished_blockers` (the dependencies consumer) and
 * `automation_triggers` (loop guard) are not projections of this service's event store and are
 * left alone.
 */
export const TASK_ENGINE_READ_MODEL_TABLES: readonly string[] = READ_MODEL_TABLES;

/** Key of the rebuild's row in `projection_checkpoints` (where and when the last rebuild ended). */
export const TASK_ENGINE_READ_MODEL_CHECKPOINT = taskEngineReadModelProjection.name;

export interface TaskEngineReadModelRebuildOptions {
  /** An ORM on the service schema (its read model); `store` must be the same schema's event store. */
  readonly orm: MikroORM;
  readonly store: Pick<EventStore, 'readAll'>;
  readonly pageSize?: number;
}

export interface ReadModelRebuildReport {
  readonly eventsRead: number;
  readonly eventsApplied: number;
  readonly lastPosition: GlobalPosition | undefined;
  /** Rows per table, counted right after the commit. */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * Rebuilds the task-engine read model from the service's event store (replayed into shadow tables
 * in short transactions, then swapped in at once: see rebuildProjection) through
 * the projection the live consumer applies (`taskEngineReadModelProjection`; its SQL needs no
 * flush between events).
 */
export async function rebuildTaskEngineReadModel(options: TaskEngineReadModelRebuildOptions): Promise<ReadModelRebuildReport> {
  const result = await rebuildProjection({
    orm: options.orm,
    store: options.store,
    projection: taskEngineReadModelProjection,
    tables: TASK_ENGINE_READ_MODEL_TABLES,
    pageSize: options.pageSize,
  });
  return { ...result, rows: await countRows(options.orm, TASK_ENGINE_READ_MODEL_TABLES) };
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
