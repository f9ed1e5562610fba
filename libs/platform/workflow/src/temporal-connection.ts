import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { temporalDataConverter } from './data-converter';
import { type PayloadKeyring, payloadKeyringFromEnv } from './payload-keys';

export interface TemporalConfig {
  /** host:port of the Temporal frontend. */
  readonly address: string;
  readonly namespace: string;
  /** The keys payloads are encrypted and decrypted with (see temporalDataConverter). */
  readonly payloadKeys: PayloadKeyring;
}

export interface ConnectRetryOptions {
  /** Give up after this long; the server may still be starting (default 60 s). */
  readonly timeoutMs?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

export function temporalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  return {
    address: env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233',
    namespace: env['TEMPORAL_NAMESPACE'] ?? 'projectflo',
    payloadKeys: payloadKeyringFromEnv(env),
  };
}

/** Retries `connect` with capped exponential backoff until it succeeds or the timeout passes. */
export async function retryConnect<T>(connect: () => Promise<T>, options: ConnectRetryOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const deadline = Date.now() + timeoutMs;
  let delay = options.initialDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (Date.now() + delay > deadline) {
        throw new Error(`could not connect to Temporal within ${timeoutMs} ms (${attempt} attempts): ${String(error)}`, {
          cause: error,
        });
      }
      options.onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/** A client-side (gRPC) connection, for starting, signalling and listing workflows. */
export async function createTemporalConnection(
  config: Pick<TemporalConfig, 'address'>,
  retry?: ConnectRetryOptions,
): Promise<Connection> {
  return retryConnect(() => Connection.connect({ address: config.address }), retry);
}

/** The connection a Worker polls through (Rust core); not interchangeable with {@link createTemporalConnection}. */
export async function createNativeConnection(
  config: Pick<TemporalConfig, 'address'>,
  retry?: ConnectRetryOptions,
): Promise<NativeConnection> {
  return retryConnect(() => NativeConnection.connect({ address: config.address }), retry);
}

export interface TemporalClientHandle {
  readonly client: Client;
  readonly connection: Connection;
  /** The keys the client's codec uses; a worker beside it takes the same. */
  readonly payloadKeys: PayloadKeyring;
  close(): Promise<void>;
}

/** A client whose payloads and failures go through the codec of {@link temporalDataConverter}. */
export async function createTemporalClient(config: TemporalConfig, retry?: ConnectRetryOptions): Promise<TemporalClientHandle> {
  const connection = await createTemporalConnection(config, retry);
  const dataConverter: DataConverter = temporalDataConverter(config.payloadKeys);
  const client = new Client({ connection, namespace: config.namespace, dataConverter });
  return { client, connection, payloadKeys: config.payloadKeys, close: () => connection.close() };
}
