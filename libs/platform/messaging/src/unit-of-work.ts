import { inPgTransaction } from '@projectflo/platform/event-store';
import type { Pool, QueryResultRow } from 'pg';

/** A row as a query returns it. */
export type Row = Record<string, unknown>;

/**
 * The one thing a consumer handler needs from a transaction: run SQL inside it. A MikroORM-based
 * UnitOfWork can hand out a richer Tx (e.g. with its EntityManager) that still satisfies this.
 */
export interface Tx {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Writes what the transaction holds in memory (an ORM's pending entity changes) to the
   * database, so the next statement sees it; the consumer calls it between the events of one
   * batch. A plain SQL transaction has nothing pending and leaves it out.
   */
  flush?(): Promise<void>;
  /**
   * Runs `callback` once the transaction has committed, never when it rolls back: how a writer
   * tells an in-process reader (a dispatcher) that there is something new to read. A callback
   * that throws is ignored; the commit stands.
   */
  afterCommit?(callback: () => void): void;
}

/** Collects a transaction's after-commit callbacks and runs them once it committed. */
export class CommitCallbacks {
  private readonly callbacks: (() => void)[] = [];

  readonly add = (callback: () => void): void => {
    this.callbacks.push(callback);
  };

  /** Runs `work` (the transaction) and, when it resolves, the callbacks it collected. */
  async around<R>(work: Promise<R>): Promise<R> {
    const result = await work;
    for (const callback of this.callbacks.splice(0)) {
      try {
        callback();
      } catch {
        // The transaction committed; a listener's failure is the listener's.
      }
    }
    return result;
  }
}

/**
 * Runs `fn` in one database transaction: committed when it resolves, rolled back when it
 * rejects (and the rejection is passed on). The consumer records the inbox row and runs the
 * handler through the same Tx, which is what makes "processed" and "deduplicated" one fact.
 */
export interface UnitOfWork<T extends Tx = Tx> {
  transactional<R>(fn: (tx: T) => Promise<R>): Promise<R>;
}

/** The default UnitOfWork over a node-postgres Pool. */
export class PgUnitOfWork implements UnitOfWork<Tx> {
  constructor(private readonly pool: Pool) {}

  transactional<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    const committed = new CommitCallbacks();
    return committed.around(
      inPgTransaction(this.pool, (client) =>
        fn({
          query: async <Q extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<Q[]> => {
            const result = await client.query<Q & QueryResultRow>(sql, params ? [...params] : undefined);
            return result.rows;
          },
          afterCommit: committed.add,
        }),
      ),
    );
  }
}
