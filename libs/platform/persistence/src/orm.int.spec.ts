import { randomBytes } from 'node:crypto';
import { DEFAULT_POSTGRES_TIMEOUTS } from '@projectflo/platform/event-store';
import { createOrm, databaseUrlFromEnv } from './orm';

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
