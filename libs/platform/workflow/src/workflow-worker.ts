import { existsSync } from 'node:fs';
import type { Duration } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions, type WorkflowBundlePath, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporalDataConverter } from './data-converter';
import type { PayloadKeyring } from './payload-keys';
import { workflowBundlerOptions, type WorkflowBundlerConfig } from './workflow-bundler';

/**
 * Either a workflows module, or a bundle built once with `bundleWorkflows` (in memory, or a file
 * written by scripts/build.ts: `{ codePath }`). A workflows module that is TypeScript source is
 * bundled at start (tests and development); a compiled one (`.js`, from dist/) is never bundled:
 * its prebuilt bundle beside it is loaded (see prebuiltWorkflowBundle).
 */
export type WorkflowCode =
  | { readonly workflowsPath: string; readonly workflowBundle?: undefined }
  | { readonly workflowBundle: WorkflowBundleWithSourceMap | WorkflowBundlePath; readonly workflowsPath?: undefined };

/** Suffix of the prebuilt bundle scripts/build.ts writes beside a compiled workflows module. */
export const PREBUILT_WORKFLOW_BUNDLE_SUFFIX = '.bundle.js';

/**
 * The prebuilt bundle of a compiled workflows module (`x.workflows.js` → `x.workflows.bundle.js`),
 * or undefined for TypeScript source, which is bundled at start. A compiled module without its
 * bundle is an incomplete build and refused: bundling compiled output at start would lose the
 * `index.workflow.ts` entry points (and bring webpack back into the process).
 */
export function prebuiltWorkflowBundle(workflowsPath: string): WorkflowBundlePath | undefined {
  if (!workflowsPath.endsWith('.js')) return undefined;
  const codePath = workflowsPath.replace(/\.js$/, PREBUILT_WORKFLOW_BUNDLE_SUFFIX);
  if (!existsSync(codePath)) throw new Error(`no prebuilt workflow bundle ${codePath} beside the compiled ${workflowsPath}: run npm run build`);
  return { codePath };
}

export type CreateWorkerOptions = WorkflowCode & {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  /** The keys of the payload codec (the same as the clients': see temporalDataConverter). */
  readonly payloadKeys: PayloadKeyring;
  /** The activity implementations, typically built by a `createActivities(deps)` factory. */
  readonly activities?: object;
  readonly bundler?: WorkflowBundlerConfig;
  /** Anything else Worker.create accepts (tuning, interceptors, identity...). */
  readonly workerOptions?: Omit<
    WorkerOptions,
    'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowsPath' | 'workflowBundle' | 'bundlerOptions' | 'dataConverter'
  >;
};

/**
 * Where the workflow sandbox runs: in the service's main thread, in one reusable VM context (the
 * SDK's default is a worker thread of its own). A worker thread is a second V8 isolate and Node
 * environment: 20–50 MB of idle RSS per service (docs/benchmarks.md, "Lean start"), for work that
 * is a few milliseconds of CPU per workflow task here; and a crossing to that thread and back for
 * every activation (the lead burst took 25 % less CPU per change in this thread).
 *
 * The SDK offers the in-thread sandbox as `debugMode`. What else that changes, all process-wide
 * (node_modules/@temporalio/worker/lib/workflow/vm-shared.js, SDK pinned at 1.13.2):
 * - the sandbox's execution timeout defaults to unlimited: set back to the SDK's usual 5 s here
 *   (`isolateExecutionTimeout`, read by the SDK though WorkerOptions does not declare it;
 *   workflow.int.spec.ts proves it);
 * - its promise hook (workflow stack traces for the Web UI) runs for every promise of the service,
 *   about 4 µs each on these machines: already inside the 25 % above;
 * - its Error.prepareStackTrace formats every stack (the same `at …` lines as Node's);
 * - its unhandledRejection listener: a rejection nobody handles still ends the process, as
 *   Node's default would, reported as an UnhandledRejectionError.
 * Cost: while an activation runs, the service's event loop waits. A workflow stuck in a loop
 * holds it 5 s on every attempt of its task, which Temporal retries until someone terminates the
 * workflow (`temporal workflow terminate`) or a fixed build replaces it.
 */
export const IN_THREAD_WORKFLOWS: Pick<WorkerOptions, 'debugMode'> & { readonly isolateExecutionTimeout: Duration } = {
  debugMode: true,
  isolateExecutionTimeout: '5 seconds',
};

/** The SDK's default instead: workflows in a worker thread of their own (the 5 s timeout is its default there). */
export const OWN_WORKFLOW_THREAD: Pick<WorkerOptions, 'debugMode'> = { debugMode: false };

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const prebuilt = options.workflowBundle ?? prebuiltWorkflowBundle(options.workflowsPath);
  const code: Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle' | 'bundlerOptions'> =
    prebuilt !== undefined ? { workflowBundle: prebuilt } : { workflowsPath: options.workflowsPath, bundlerOptions: workflowBundlerOptions(options.bundler) };
  return Worker.create({
    // Long enough for an activity in flight to finish on a deploy; activities must still be
    // idempotent because a kill -9 gives no grace at all.
    shutdownGraceTime: '10 seconds',
    ...IN_THREAD_WORKFLOWS,
    ...options.workerOptions,
    ...code,
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: temporalDataConverter(options.payloadKeys),
  });
}

export interface RunningWorker {
  readonly worker: Worker;
  /**
   * Settles when the worker has stopped: resolves after a stop() asked for it; rejects if it
   * crashed (worker.run() rejected) or stopped without being asked to (WorkerStoppedError).
   */
  readonly done: Promise<void>;
  /**
   * Stops polling, lets in-flight tasks drain (up to shutdownGraceTime) and resolves once the
   * worker has stopped, also when it had crashed before (the crash is reported by `done`).
   */
  stop(): Promise<void>;
}

/** A worker that stopped while nobody had asked it to. */
export class WorkerStoppedError extends Error {
  override readonly name = 'WorkerStoppedError';
}

/** A worker whose state turned FAILED: the SDK gave up on it (e.g. its namespace is gone). */
export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
}

/** How often runWorker looks at the worker's state (a FAILED worker's run() may never settle). */
export const WORKER_STATE_CHECK_MS = 1_000;

/**
 * Starts `worker.run()` in the background and returns a handle to stop it gracefully.
 *
 * A worker can turn FAILED without its run() ever settling: seen when its namespace was deleted,
 * the SDK logged "Worker failed" and then waited for ever on the shutdown of its pollers. So the
 * worker's state is watched as well, and FAILED settles `done` (and `stop()`) at once.
 */
export function runWorker(worker: Worker, stateCheckMs = WORKER_STATE_CHECK_MS): RunningWorker {
  let stopRequested = false;
  let watch: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    watch = setInterval(() => {
      if (worker.getState() !== 'FAILED') return;
      clearInterval(watch);
      reject(new WorkerFailedError(`the Temporal worker of task queue ${worker.options.taskQueue} failed`));
    }, stateCheckMs);
    watch.unref();
  });
  const ran = worker.run().then(() => {
    if (!stopRequested) throw new WorkerStoppedError(`the Temporal worker of task queue ${worker.options.taskQueue} stopped without being asked to`);
  });
  const done = Promise.race([ran, failed]).finally(() => clearInterval(watch));
  // Callers may only ever await stop(); keep a crash from becoming an unhandled rejection.
  done.catch(() => undefined);
  failed.catch(() => undefined);
  let stopping: Promise<void> | undefined;
  return {
    worker,
    done,
    stop(): Promise<void> {
      stopRequested = true;
      stopping ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done.catch(() => undefined);
      })();
      return stopping;
    },
  };
}
