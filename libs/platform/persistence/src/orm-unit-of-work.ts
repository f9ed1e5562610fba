import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type DatabaseScope, enterScope } from '@projectflo/platform/event-store';
import { CommitCallbacks, type Tx, type UnitOfWork } from '@projectflo/platform/messaging';

type Row = Record<string, unknown>;

/**
 * A transaction as consumers and projections see it: raw SQL for the inbox and checkpoints,
 * and the EntityManager for read-model entities. Both run on the same connection and commit or
 * roll back together.
 */
export interface OrmTx extends Tx {
  readonly em: EntityManager;
}

interface PgLikeConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

function isPgLikeConnection(value: unknown): value is PgLikeConnection {
  return typeof value === 'object' && value !== null && typeof (value as { query?: unknown }).query === 'function';
}

/**
 * The transaction's own pg connection. MikroORM's raw `execute` goes through knex, whose `?`
 * placeholders clash with the `$1` placeholders every Tx caller writes (and with jsonb's `?`),
 * so raw SQL is sent straight to the connection that knex pinned for this transaction.
 */
async function transactionConnection(em: EntityManager): Promise<PgLikeConnection> {
  const trx: unknown = em.getTransactionContext();
  const client = (trx as { client?: { acquireConnection?: () => Promise<unknown> } } | undefined)?.client;
  if (!client?.acquireConnection) throw new Error('OrmTx used outside a MikroORM transaction');
  const connection = await client.acquireConnection();
  if (!isPgLikeConnection(connection)) throw new Error('the transaction connection is not a node-postgres client');
  return connection;
}

export function ormTx(em: EntityManager, afterCommit?: (callback: () => void) => void): OrmTx {
  let connection: Promise<PgLikeConnection> | undefined;
  return {
    ...(afterCommit ? { afterCommit } : {}),
    em,
    async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      connection ??= transactionConnection(em);
      const result = await (await connection).query(sql, params ? [...params] : undefined);
      return result.rows as R[];
    },
    flush: () => em.flush(),
  };
}

/**
 * UnitOfWork for the consumer inbox (libs/platform/messaging) and projection handlers: the inbox
 * row, raw SQL and entity changes made through `tx.em` commit in one transaction; entity changes
 * are flushed before the commit. Each call works on a fresh EntityManager fork, in `scope`: one
 * tenant's rows, or CROSS_TENANT for consumers, projections, rebuilds and dispatchers.
 */
export class OrmUnitOfWork implements UnitOfWork<OrmTx> {
  constructor(
    private readonly orm: MikroORM,
    private readonly scope: DatabaseScope,
  ) {}

  transactional<R>(fn: (tx: OrmTx) => Promise<R>): Promise<R> {
    const committed = new CommitCallbacks();
    return committed.around(
      this.orm.em.fork().transactional(async (em) => {
        const tx = ormTx(em, committed.add);
        await enterScope(tx, this.scope);
        return fn(tx);
      }),
    );
  }
}
