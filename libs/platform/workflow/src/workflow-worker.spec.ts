import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { WorkerFailedError, WorkerStoppedError, prebuiltWorkflowBundle, runWorker } from './workflow-worker';

/** Just what runWorker touches of a Temporal Worker: run, shutdown, state and options. */
function fakeWorker() {
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const run = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  let state = 'RUNNING';
  const worker = {
    options: { taskQueue: 'crm' },
    run: () => run,
    getState: () => state,
    shutdown: () => {
      state = 'STOPPING';
      settle.resolve();
    },
  } as unknown as Worker;
  return {
    worker,
    crash: (error: Error) => settle.reject(error),
    endByItself: () => settle.resolve(),
    /** The SDK marks the worker FAILED, but its run() never settles. */
    failWithoutSettling: () => {
      state = 'FAILED';
    },
  };
}

describe('runWorker', () => {
  it('resolves done after a requested stop', async () => {
    const fake = fakeWorker();
    const running = runWorker(fake.worker);
    await running.stop();
    await expect(running.done).resolves.toBeUndefined();
  });

  it('rejects done with the error when the worker crashes, and stop() still resolves', async () => {
    const fake = fakeWorker();
    const running = runWorker(fake.worker);
    fake.crash(new Error('Worker failed: unrecoverable poll error'));
    await expect(running.done).rejects.toThrow('Worker failed: unrecoverable poll error');
    await expect(running.stop()).resolves.toBeUndefined();
  });

  it('rejects done when the worker ends without being asked to', async () => {
    const fake = fakeWorker();
    const running = runWorker(fake.worker);
    fake.endByItself();
    await expect(running.done).rejects.toBeInstanceOf(WorkerStoppedError);
    await expect(running.done).rejects.toThrow(/task queue crm stopped without being asked to/);
  });

  it('rejects done when the worker turns FAILED though its run() never settles, and stop() does not hang', async () => {
    const fake = fakeWorker();
    const running = runWorker(fake.worker, 5);
    fake.failWithoutSettling();
    await expect(running.done).rejects.toBeInstanceOf(WorkerFailedError);
    await expect(running.stop()).resolves.toBeUndefined();
  });
});

describe('prebuiltWorkflowBundle', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prebuilt-bundle-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles TypeScript source at start (no prebuilt bundle)', () => {
    writeFileSync(join(dir, 'x.workflows.bundle.js'), '');
    expect(prebuiltWorkflowBundle(join(dir, 'x.workflows.ts'))).toBeUndefined();
  });

  it('loads the bundle scripts/build.ts wrote beside a compiled workflows module', () => {
    writeFileSync(join(dir, 'x.workflows.js'), '');
    writeFileSync(join(dir, 'x.workflows.bundle.js'), '');
    expect(prebuiltWorkflowBundle(join(dir, 'x.workflows.js'))).toEqual({ codePath: join(dir, 'x.workflows.bundle.js') });
  });

  it('refuses a compiled workflows module without its bundle, naming the build', () => {
    writeFileSync(join(dir, 'x.workflows.js'), '');
    expect(() => prebuiltWorkflowBundle(join(dir, 'x.workflows.js'))).toThrow(/x\.workflows\.bundle\.js.*npm run build/);
  });
});
