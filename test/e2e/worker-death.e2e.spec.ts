import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { eventually } from '@projectflo/platform/testing';
import { e2eTopics, ServiceProcess } from './support/service-process';

// A Temporal worker that dies takes its process down with it, non-zero, so that a supervisor
// restarts it: a service whose worker is gone must not stay SERVING while it runs no workflow.
// The worker is killed for real: its namespace is deleted under it, and the server's next answer
// to its poll (NotFound) is fatal to the worker. That answer comes when the current long poll
// ends, which takes the server up to about two minutes.

jest.setTimeout(300_000);

const run = randomBytes(4).toString('hex');
const namespace = `worker-death-${run}`;
const address = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
let temporal: Connection;
let service: ServiceProcess;

beforeAll(async () => {
  temporal = await Connection.connect({ address });
  await temporal.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await eventually(() => temporal.workflowService.describeNamespace({ namespace }), () => true, { what: `namespace ${namespace} to be visible` });
  service = await ServiceProcess.create('build-ledger', run, { TEMPORAL_NAMESPACE: namespace });
  await service.start();
});

afterAll(async () => {
  service?.close();
  await service?.stop();
  await temporal?.operatorService.deleteNamespace({ namespace }).catch(() => undefined);
  await temporal?.close();
  await e2eTopics(run).delete();
});

it('exits non-zero, saying the worker died, once its Temporal worker has failed', async () => {
  expect(service.running).toBe(true);
  await temporal.operatorService.deleteNamespace({ namespace });

  await eventually(async () => service.running, (running) => !running, { timeoutMs: 240_000, intervalMs: 1_000, what: 'build-ledger to exit after its worker died' });
  expect(await service.stop()).toBe(1);
  const failure = readFileSync(service.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('stopped for good'))
    .map((line) => JSON.parse(line) as { level: string; part: string });
  expect(failure).toEqual([expect.objectContaining({ level: 'error', part: 'temporal worker' })]);
});
