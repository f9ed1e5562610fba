import { randomBytes } from 'node:crypto';
import { CROSS_TENANT, DEFAULT_POSTGRES_TIMEOUTS } from '@projectflo/platform/event-store';
import { createOrm, databaseUrlFromEnv } from './orm';
import { OrmUnitOfWork } from './orm-unit-of-work';

jest.setTimeout(30_000);

describe('createOrm', () => {
  it('runs every read-model session under the statement, idle-in-transaction and lock timeouts', async () => {
    const schema = `orm_timeouts_${randomBytes(4).toString('hex')}`;
    const orm = await createOrm({ url: databaseUrlFromEnv(), schema, entities: [], timeouts: { statementTimeoutMs: 4_321 } });
    try {
      const rows = await orm.em.fork().getConnection().execute<{ name: string; ms: string }[]>(
        `SELECT name, setting AS ms FROM pg_settings WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout', 'lock_timeout') ORDER BY name`,
      );
      expect(rows).toEqual([
        { name: 'idle_in_transaction_session_timeout', ms: String(DEFAULT_POSTGRES_TIMEOUTS.idleInTransactionTimeoutMs) },
        { name: 'lock_timeout', ms: String(DEFAULT_POSTGRES_TIMEOUTS.lockTimeoutMs) },
        { name: 'statement_timeout', ms: '4321' },
      ]);
      await expect(orm.em.fork().getConnection().execute('SELECT pg_sleep(5)')).rejects.toThrow(/statement timeout/);
    } finally {
      await orm.close();
    }
  });
});

describe('OrmUnitOfWork', () => {
  it('runs after-commit callbacks once the transaction committed, and none of a rolled-back one', async () => {
    const schema = `orm_commit_${randomBytes(4).toString('hex')}`;
    const orm = await createOrm({ url: databaseUrlFromEnv(), schema, entities: [] });
    try {
      const uow = new OrmUnitOfWork(orm, CROSS_TENANT);
      await uow.transactional(async (tx) => {
        await tx.query(`CREATE SCHEMA ${schema}`);
        await tx.query(`CREATE TABLE ${schema}.seen (n int)`);
      });
      const seenAtCallback: number[] = [];
      const count = async () => Number((await orm.em.fork().getConnection().execute<{ n: string }[]>(`SELECT count(*) AS n FROM ${schema}.seen`))[0]!.n);
      await uow.transactional(async (tx) => {
        await tx.query(`INSERT INTO ${schema}.seen VALUES (1)`);
        tx.afterCommit!(() => void count().then((n) => seenAtCallback.push(n)));
        tx.afterCommit!(() => {
          throw new Error('a listener that fails');
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Another session saw the row when the callback ran: it ran after the commit.
      expect(seenAtCallback).toEqual([1]);

      let called = false;
      await expect(
        uow.transactional(async (tx) => {
          await tx.query(`INSERT INTO ${schema}.seen VALUES (2)`);
          tx.afterCommit!(() => {
            called = true;
          });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(called).toBe(false);
      expect(await count()).toBe(1);
    } finally {
      await orm.em.fork().getConnection().execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await orm.close();
    }
  });
});
