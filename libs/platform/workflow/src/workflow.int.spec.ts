import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { deriveId } from '@projectflo/platform/core';
import {
  AesGcmPayloadCodec,
  bundleWorkflows,
  decryptHistory,
  buildSearchAttributes,
  cancelSignal,
  connectTestEnvironment,
  createWorker,
  replayHistories,
  ReplayFailedError,
  runWorker,
  searchAttributeQuery,
  startOnce,
  statusQuery,
  workflowId,
  workspaceAliases,
  type RunningWorker,
  type TemporalTestEnvironment,
} from './index';
import { createSampleActivities } from './test-fixtures/sample.activities';
import { releaseSignal, sampleExpansionWorkflow, spinningWorkflow } from './test-fixtures/sample.workflows';

const workflowsPath = require.resolve('./test-fixtures/sample.workflows');
const changedWorkflowsPath = require.resolve('./test-fixtures/sample-changed.workflows');

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the timeout');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('platform/workflow against the Temporal dev server', () => {
  let env: TemporalTestEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    env = await connectTestEnvironment();
    bundle = await bundleWorkflows(workflowsPath);
  });

  afterAll(async () => {
    await env?.close();
  });

  it('aliases every workspace library, preferring its workflow entry point', () => {
    const aliases = workspaceAliases();
    expect(aliases['@projectflo/platform/core$']).toMatch(/libs\/platform\/core\/src\/index\.workflow\.ts$/);
    expect(aliases['@projectflo/platform/workflow$']).toMatch(/libs\/platform\/workflow\/src\/index\.workflow\.ts$/);
  });

  describe('with a worker bundling from source', () => {
    const calls: string[] = [];
    let running: RunningWorker;
    let taskQueue: string;

    beforeAll(async () => {
      taskQueue = env.uniqueTaskQueue('wf');
      const worker = await createWorker({
        connection: env.nativeConnection,
        namespace: env.config.namespace,
        payloadKeys: env.config.payloadKeys,
        taskQueue,
        workflowsPath,
        activities: createSampleActivities({ calls }),
      });
      running = runWorker(worker);
    });

    afterAll(async () => {
      await running?.stop();
    });

    it('runs one execution for a duplicated trigger, findable by its search attributes', async () => {
      const tenantId = `tenant-${env.runId}`;
      const triggerEventId = `evt-${env.runId}`;
      const id = workflowId('tasks', tenantId, 'lead-status', 'lead-1', triggerEventId);
      const options = {
        taskQueue,
        workflowId: id,
        args: [{ tenantId, triggerEventId, templateIds: ['tpl-a', 'tpl-b'] }] as const,
        typedSearchAttributes: buildSearchAttributes({ tenantId, leadId: 'lead-1', triggerType: 'lead-status', templateCount: 2 }),
        staticSummary: 'Expand lead-status templates for lead lead-1',
      };

      const first = await startOnce(env.client, sampleExpansionWorkflow, { ...options, args: [...options.args] });
      const whileRunning = await startOnce(env.client, sampleExpansionWorkflow, { ...options, args: [...options.args] });
      expect(first.started).toBe(true);
      expect(whileRunning.started).toBe(false);
      expect(await whileRunning.handle.query(statusQuery)).toBe('waiting');

      await first.handle.signal(releaseSignal);
      const result = await first.handle.result();
      const afterClose = await startOnce(env.client, sampleExpansionWorkflow, { ...options, args: [...options.args] });
      expect(afterClose.started).toBe(false);

      const expected = ['tpl-a', 'tpl-b'].map((t) => deriveId(tenantId, triggerEventId, t));
      expect(result.taskIds).toEqual(expected);
      expect(result.childKey).toBe(`child/${tenantId}/${triggerEventId}`);
      expect(calls.filter((c) => expected.includes(c))).toEqual(expected);

      const description = await first.handle.describe();
      expect(await description.staticSummary()).toBe('Expand lead-status templates for lead lead-1');

      const listed = await eventually(async () => {
        const found: string[] = [];
        for await (const execution of env.client.workflow.list({ query: searchAttributeQuery({ tenantId }) })) {
          found.push(execution.workflowId);
        }
        return found.length > 0 ? found : undefined;
      });
      expect(listed).toEqual([id]);
      const byLead = await eventually(async () => {
        for await (const execution of env.client.workflow.list({ query: searchAttributeQuery({ tenantId, leadId: 'lead-1', templateCount: 2 }) })) {
          return execution.workflowId;
        }
        return undefined;
      });
      expect(byLead).toBe(id);
    });

    it('runs workflows in this thread: one that never yields holds it until the 5 s sandbox timeout fails its task, then the worker serves the next', async () => {
      // How late a 20 ms timer of this thread fires: a workflow thread of its own would leave it on time.
      let latest = Date.now();
      let worstLateMs = 0;
      const ticker = setInterval(() => {
        const now = Date.now();
        worstLateMs = Math.max(worstLateMs, now - latest - 20);
        latest = now;
      }, 20);
      const spinning = await env.client.workflow.start(spinningWorkflow, { taskQueue, workflowId: workflowId('tasks', `tenant-${env.runId}`, 'spin') });
      try {
        const failed = await eventually(async () => {
          const history = await decryptHistory(await spinning.fetchHistory(), new AesGcmPayloadCodec(env.config.payloadKeys));
          return history.events?.find((event) => event.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes ?? undefined;
        }, 30_000);
        // The failure's message is in its (encrypted, now decrypted) encoded attributes.
        const attributes = JSON.parse(Buffer.from(failed.failure?.encodedAttributes?.data ?? []).toString('utf8')) as { message?: string };
        // The 5 s of IN_THREAD_WORKFLOWS, not debugMode's unlimited default; this thread waited for it.
        expect(attributes.message).toMatch(/timed out after 5000 ?ms/);
        expect(worstLateMs).toBeGreaterThan(4_000);
        // The same worker (the same thread) still runs another workflow to its end.
        const id = workflowId('tasks', `tenant-${env.runId}`, 'after-spin');
        const { handle } = await startOnce(env.client, sampleExpansionWorkflow, { taskQueue, workflowId: id, args: [{ tenantId: 't', triggerEventId: 'e', templateIds: ['y'] }] });
        await handle.signal(releaseSignal);
        expect((await handle.result()).taskIds).toHaveLength(1);
      } finally {
        clearInterval(ticker);
        await spinning.terminate('test done');
      }
    }, 60_000);

    it('surfaces errors other than a duplicate start', async () => {
      const id = workflowId('tasks', `tenant-${env.runId}`, 'dup-fail');
      await startOnce(env.client, sampleExpansionWorkflow, {
        taskQueue,
        workflowId: id,
        args: [{ tenantId: 't', triggerEventId: 'e', templateIds: [] }],
      });
      await expect(
        env.client.workflow.start(sampleExpansionWorkflow, { taskQueue, workflowId: id, args: [{ tenantId: 't', triggerEventId: 'e', templateIds: [] }] }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await env.client.workflow.getHandle(id).signal(cancelSignal, { reason: 'test done' });
      expect((await env.client.workflow.getHandle(id).result()).cancelled).toBe(true);
    });
  });

  it('replays recorded histories with the same code, and rejects an incompatible change', async () => {
    const taskQueue = env.uniqueTaskQueue('replay');
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.config.namespace,
      payloadKeys: env.config.payloadKeys,
      taskQueue,
      workflowBundle: bundle,
      activities: createSampleActivities({ calls: [] }),
    });
    const running = runWorker(worker);
    const id = workflowId('tasks', `tenant-${env.runId}`, 'replay');
    try {
      const { handle } = await startOnce(env.client, sampleExpansionWorkflow, {
        taskQueue,
        workflowId: id,
        args: [{ tenantId: 't', triggerEventId: 'e', templateIds: ['x'] }],
      });
      await handle.signal(releaseSignal);
      await handle.result();
    } finally {
      await running.stop();
    }
    expect(worker.getState()).toBe('STOPPED');
    const history = await env.client.workflow.getHandle(id).fetchHistory();

    const ok = await replayHistories(workflowsPath, [{ workflowId: id, history }], { payloadKeys: env.config.payloadKeys });
    expect(ok).toHaveLength(1);
    expect(ok[0]?.error).toBeUndefined();

    await expect(replayHistories(changedWorkflowsPath, [{ workflowId: id, history }], { payloadKeys: env.config.payloadKeys })).rejects.toBeInstanceOf(ReplayFailedError);
  });
});
