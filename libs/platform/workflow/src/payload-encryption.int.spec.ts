import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { generateKey } from '@projectflo/platform/secrets';
import {
  AesGcmPayloadCodec,
  bundleWorkflows,
  connectTestEnvironment,
  createWorker,
  decryptHistory,
  parsePayloadKeys,
  replayHistories,
  runWorker,
  type RunningWorker,
  type TemporalTestEnvironment,
} from './index';
import { sensitiveActivities } from './test-fixtures/sensitive.activities';
import type { greetWorkflow, refuseWorkflow } from './test-fixtures/sensitive.workflows';

// Against the Temporal dev server: workflow inputs, activity inputs and results, workflow results
// and failure messages (workflow and activity) are stored encrypted; the clients and workers of
// temporalDataConverter read them back as they were written.

const workflowsPath = require.resolve('./test-fixtures/sensitive.workflows');

describe('payload encryption against the Temporal dev server', () => {
  let env: TemporalTestEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let running: RunningWorker;
  let taskQueue: string;

  beforeAll(async () => {
    env = await connectTestEnvironment();
    bundle = await bundleWorkflows(workflowsPath);
    taskQueue = env.uniqueTaskQueue('crypt');
    running = runWorker(
      await createWorker({ connection: env.nativeConnection, namespace: env.config.namespace, payloadKeys: env.config.payloadKeys, taskQueue, workflowBundle: bundle, activities: sensitiveActivities }),
    );
  });

  afterAll(async () => {
    await running?.stop();
    await env?.close();
  });

  const bytesOf = (history: proto.api.history.v1.IHistory): Buffer => Buffer.from(proto.api.history.v1.History.encode(history).finish());

  /** The history exactly as the server stores and serves it (no codec). */
  async function rawHistory(workflowId: string): Promise<proto.api.history.v1.IHistory> {
    const response = await env.connection.workflowService.getWorkflowExecutionHistory({ namespace: env.config.namespace, execution: { workflowId } });
    return response.history ?? {};
  }

  async function storedHistory(workflowId: string): Promise<Buffer> {
    return bytesOf(await rawHistory(workflowId));
  }

  it('stores inputs and results encrypted, and hands them back decrypted', async () => {
    const name = `Zelda Quintero ${randomBytes(3).toString('hex')}`;
    const workflowId = `crypt-greet-${env.runId}`;
    const result = await env.client.workflow.execute<typeof greetWorkflow>('greetWorkflow', { taskQueue, workflowId, args: [name] });
    expect(result).toBe(`Hello, ${name}`);
    const stored = await storedHistory(workflowId);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.includes('Zelda')).toBe(false);
    expect(stored.includes('binary/encrypted')).toBe(true);
  });

  it('decrypts a history for a replay fixture, which then replays without any payload key', async () => {
    const name = `Zelda Quintero ${randomBytes(3).toString('hex')}`;
    const workflowId = `crypt-fixture-${env.runId}`;
    await env.client.workflow.execute<typeof greetWorkflow>('greetWorkflow', { taskQueue, workflowId, args: [name] });
    const decrypted = await decryptHistory(await rawHistory(workflowId), new AesGcmPayloadCodec(env.config.payloadKeys));
    expect(bytesOf(decrypted).includes(name)).toBe(true);
    expect(bytesOf(decrypted).includes('binary/encrypted')).toBe(false);
    const unrelatedKeys = parsePayloadKeys(generateKey('unrelated'));
    const [replayed] = await replayHistories(workflowsPath, [{ workflowId, history: decrypted }], { payloadKeys: unrelatedKeys });
    expect(replayed?.error).toBeUndefined();
  });

  it('stores workflow and activity failure messages and stacks encrypted, and the client still reads them', async () => {
    const name = `Zelda Quintero ${randomBytes(3).toString('hex')}`;
    const workflowId = `crypt-refuse-${env.runId}`;
    const failure = await env.client.workflow.execute<typeof refuseWorkflow>('refuseWorkflow', { taskQueue, workflowId, args: [name] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(`the workflow gave up on ${name}`);
    const stored = await storedHistory(workflowId);
    expect(stored.includes('Zelda')).toBe(false);
    expect(stored.includes('no contact details')).toBe(false);
    expect(stored.includes('Encoded failure')).toBe(true);
  });
});
