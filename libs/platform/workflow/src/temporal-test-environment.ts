import { randomUUID } from 'node:crypto';
import type { Client, Connection } from '@temporalio/client';
import { DefaultLogger, type LogLevel, type NativeConnection, Runtime } from '@temporalio/worker';
import { createNativeConnection, createTemporalClient, temporalConfigFromEnv, type TemporalConfig } from './temporal-connection';

export interface TemporalTestEnvironment {
  readonly config: TemporalConfig;
  readonly client: Client;
  readonly connection: Connection;
  readonly nativeConnection: NativeConnection;
  /** A task queue no other test run polls, e.g. `it-<prefix>-<random>`. */
  uniqueTaskQueue(prefix?: string): string;
  /** A random suffix for tenant ids and workflow ids, so reruns never collide. */
  readonly runId: string;
  close(): Promise<void>;
}

/**
 * Integration tests run against the dev server that scripts/infra.sh keeps up
 * (TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE), not against a server each test downloads or starts.
 * Time skipping is not supported here: tests that need days to pass keep them short by design.
 */
export async function connectTestEnvironment(config: TemporalConfig = temporalConfigFromEnv()): Promise<TemporalTestEnvironment> {
  quietRuntime();
  const retry = { timeoutMs: 30_000 };
  const { client, connection } = await createTemporalClient(config, retry);
  const nativeConnection = await createNativeConnection(config, retry);
  const runId = randomUUID().slice(0, 8);
  let queues = 0;
  return {
    config,
    client,
    connection,
    nativeConnection,
    runId,
    uniqueTaskQueue: (prefix = 'it') => `${prefix}-${runId}-${++queues}`,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * Worker lifecycle and bundler output at INFO drown a test report; tests log at WARN unless
 * TEMPORAL_LOG_LEVEL says otherwise. The Runtime is a process-wide singleton, so this only takes
 * effect when nothing has created it yet.
 */
function quietRuntime(): void {
  if (Runtime._instance !== undefined) return;
  const wanted = process.env['TEMPORAL_LOG_LEVEL']?.toUpperCase();
  const level = LOG_LEVELS.find((l) => l === wanted) ?? 'WARN';
  Runtime.install({ logger: new DefaultLogger(level) });
}
