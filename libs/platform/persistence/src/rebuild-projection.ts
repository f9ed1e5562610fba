import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore, GlobalPosition } from '@projectflo/platform/core';
import { OrmUnitOfWork } from './orm-unit-of-work';
import { qualifiedTable } from './pg-identifier';
import { type Projection, saveCheckpoint } from './projection';

export interface RebuildProjectionOptions {
  readonly orm: MikroORM;
  readonly store: Pick<EventStore, 'readAll'>;
  readonly projection: Projection;
  /** Defaults to projection.tables. */
  readonly tables?: readonly string[];
  readonly pageSize?: number;
}

export interface RebuildResult {
  readonly eventsRead: number;
  readonly eventsApplied: number;
  readonly lastPosition: GlobalPosition | undefined;
}

/**
 * Rebuilds a read model from the event store in ONE transaction: truncate the projection's
 * tables, replay every event in commit order through `apply`, save the checkpoint. Readers keep
 * seeing the old rows (TRUNCATE's lock makes them wait rather than see an empty table) until it
 * commits; if anything fails, nothing changes. Memory stays flat: each page is flushed and the
 * identity map cleared.
 */
export async function rebuildProjection(options: RebuildProjectionOptions): Promise<RebuildResult> {
  const { orm, store, projection } = options;
  const schema = orm.config.get('schema');
  if (!schema) throw new Error('rebuildProjection needs an ORM created with a service schema');
  const tables = options.tables ?? projection.tables;
  if (tables.length === 0) throw new Error(`projection ${projection.name} lists no tables to rebuild`);
  const pageSize = options.pageSize ?? 500;
  const handles = new Set(projection.handles);

  return new OrmUnitOfWork(orm).transactional(async (tx) => {
    await tx.query(`TRUNCATE ${tables.map((t) => qualifiedTable(schema, t)).join(', ')}`);
    let after: GlobalPosition | undefined;
    let eventsRead = 0;
    let eventsApplied = 0;
    for (;;) {
      const page = await store.readAll({ after, limit: pageSize });
      for (const event of page) {
        if (handles.has(event.type)) {
          await projection.apply(tx.em, event);
          eventsApplied++;
        }
      }
      eventsRead += page.length;
      const last = page[page.length - 1];
      if (last) after = last.globalPosition;
      await tx.em.flush();
      tx.em.clear();
      if (page.length < pageSize) break;
    }
    await saveCheckpoint(tx, schema, projection.name, after);
    return { eventsRead, eventsApplied, lastPosition: after };
  });
}
