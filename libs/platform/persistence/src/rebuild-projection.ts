import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore, GlobalPosition, RecordedEvent } from '@projectflo/platform/core';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import { createOrm } from './orm';
import { OrmUnitOfWork } from './orm-unit-of-work';
import { assertIdentifier, qualifiedTable, quoteIdentifier } from '@projectflo/platform/core';
import { type Projection, saveCheckpoint } from './projection';

export interface RebuildProjectionOptions {
  readonly orm: MikroORM;
  readonly store: Pick<EventStore, 'readAll'>;
  readonly projection: Projection;
  /** Defaults to projection.tables. */
  readonly tables?: readonly string[];
  /** Events per read and per transaction of the replay. */
  readonly pageSize?: number;
  /**
   * Whether the read model takes a handled event, as its live consumer does: what the consumer
   * dead-letters (an unknown payload version, a payload against its contract), a rebuild skips, so
   * both produce the same tables. Default: every handled event.
   */
  readonly accepts?: (event: RecordedEvent) => boolean;
}

export interface RebuildResult {
  readonly eventsRead: number;
  readonly eventsApplied: number;
  /** Handled events the read model does not accept (`accepts`). */
  readonly eventsSkipped: number;
  readonly lastPosition: GlobalPosition | undefined;
}

/** Where a service's read-model rebuild reads and writes: an ORM on the service schema and that schema's event store. */
export type ReadModelRebuildOptions = Pick<RebuildProjectionOptions, 'orm' | 'store' | 'pageSize'>;

/** What a read-model rebuild reports (the rebuild command prints it). */
export interface ReadModelRebuildReport extends RebuildResult {
  /** Rows per table, counted right after the commit. */
  readonly rows: Readonly<Record<string, number>>;
}

/** Rebuilds a service's read model (`rebuildProjection`) and counts the rows of its tables. */
export async function rebuildReadModel(options: RebuildProjectionOptions): Promise<ReadModelRebuildReport> {
  const result = await rebuildProjection(options);
  return { ...result, rows: await countRows(options.orm, options.tables ?? options.projection.tables) };
}

async function countRows(orm: MikroORM, tables: readonly string[]): Promise<Record<string, number>> {
  const schema = orm.config.get('schema') ?? '';
  return new OrmUnitOfWork(orm, CROSS_TENANT).transactional(async (tx) => {
    const rows: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${qualifiedTable(schema, table)}`);
      rows[table] = row?.n ?? 0;
    }
    return rows;
  });
}

/**
 * Rebuilds a read model from the event store without one long transaction, which would hold back
 * every relay in the cluster (they read below the oldest running transaction) for the whole replay:
 *
 * 1. a shadow schema `<schema>_rebuild` gets empty copies of the projection's tables;
 * 2. every event is replayed into the shadow tables, one short transaction per page, through an
 *    ORM whose schema (and search_path) is the shadow's, so entities and plain SQL land there;
 * 3. one short transaction locks the live tables (readers and the live consumer wait), replays
 *    into the shadow what was appended meanwhile, replaces the live rows with the shadow's and
 *    saves the checkpoint; the shadow schema is dropped.
 *
 * Readers see the old rows until step 3 commits, and a rebuild that fails leaves them untouched.
 * Events the live consumer projected during the rebuild are in the tail of step 3, so none is lost.
 */
export async function rebuildProjection(options: RebuildProjectionOptions): Promise<RebuildResult> {
  const { orm, store, projection } = options;
  const schema = orm.config.get('schema');
  if (!schema) throw new Error('rebuildProjection needs an ORM created with a service schema');
  const tables = options.tables ?? projection.tables;
  if (tables.length === 0) throw new Error(`projection ${projection.name} lists no tables to rebuild`);
  const shadow = assertIdentifier(`${schema}_rebuild`.slice(0, 63), 'shadow schema');
  const pageSize = options.pageSize ?? 500;
  const live = new OrmUnitOfWork(orm, CROSS_TENANT);

  await live.transactional(async (tx) => {
    await tx.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(shadow)} CASCADE`);
    await tx.query(`CREATE SCHEMA ${quoteIdentifier(shadow)}`);
    for (const table of tables) await tx.query(`CREATE TABLE ${qualifiedTable(shadow, table)} (LIKE ${qualifiedTable(schema, table)} INCLUDING ALL)`);
  });
  const shadowOrm = await createOrm({
    url: orm.config.get('clientUrl') ?? '',
    schema: shadow,
    entities: orm.config.get('entities'),
    applicationName: `rebuild-${projection.name}`.slice(0, 63),
    pool: { max: 1 },
  });
  try {
    const replay = new ShadowReplay(shadowOrm, store, projection, pageSize, options.accepts ?? (() => true));
    await replay.untilCaughtUp();
    return await live.transactional(async (tx) => {
      const list = tables.map((t) => qualifiedTable(schema, t)).join(', ');
      await tx.query(`LOCK TABLE ${list} IN ACCESS EXCLUSIVE MODE`);
      // Whatever was appended (and maybe projected live) since the replay caught up.
      await replay.untilCaughtUp();
      await tx.query(`TRUNCATE ${list}`);
      for (const table of tables) await tx.query(`INSERT INTO ${qualifiedTable(schema, table)} SELECT * FROM ${qualifiedTable(shadow, table)}`);
      await saveCheckpoint(tx, schema, projection.name, replay.after);
      return { eventsRead: replay.eventsRead, eventsApplied: replay.eventsApplied, eventsSkipped: replay.eventsSkipped, lastPosition: replay.after };
    });
  } finally {
    await shadowOrm.close();
    await live.transactional((tx) => tx.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(shadow)} CASCADE`));
  }
}

/** Replays the log into the shadow tables, one transaction per page, remembering where it is. */
class ShadowReplay {
  after: GlobalPosition | undefined;
  eventsRead = 0;
  eventsApplied = 0;
  eventsSkipped = 0;
  private readonly handles: ReadonlySet<string>;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly projection: Projection,
    private readonly pageSize: number,
    private readonly accepts: (event: RecordedEvent) => boolean,
  ) {
    this.handles = new Set(projection.handles);
  }

  async untilCaughtUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.after, limit: this.pageSize });
      if (page.length > 0) await this.apply(page);
      if (page.length < this.pageSize) return;
    }
  }

  private async apply(page: readonly RecordedEvent[]): Promise<void> {
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional(async (tx) => {
      for (const event of page) {
        if (!this.handles.has(event.type)) continue;
        if (!this.accepts(event)) {
          this.eventsSkipped++;
          continue;
        }
        await this.projection.apply(tx.em, event);
        this.eventsApplied++;
      }
      await tx.em.flush();
    });
    this.eventsRead += page.length;
    this.after = page[page.length - 1].globalPosition;
  }
}
