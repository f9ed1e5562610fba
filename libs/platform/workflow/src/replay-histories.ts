import type { HistoryAndWorkflowId } from '@temporalio/client';
import { type ReplayResult, Worker, type WorkflowBundlePath, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporalDataConverter } from './data-converter';
import type { PayloadKeyring } from './payload-keys';
import { workflowBundlerOptions, type WorkflowBundlerConfig } from './workflow-bundler';
import { prebuiltWorkflowBundle } from './workflow-worker';

export class ReplayFailedError extends Error {
  constructor(readonly failures: readonly ReplayResult[]) {
    super(
      `${failures.length} workflow histor${failures.length === 1 ? 'y' : 'ies'} no longer replay: ` +
        failures.map((f) => `${f.workflowId} (${f.error?.message ?? 'unknown error'})`).join('; '),
    );
    this.name = 'ReplayFailedError';
  }
}

export interface ReplayHistoriesOptions {
  /** The codec keys of the recorded histories (histories recorded before encryption decode without). */
  readonly payloadKeys: PayloadKeyring;
  readonly bundler?: WorkflowBundlerConfig;
  /** Throw a ReplayFailedError listing every failure (default), or just return the results. */
  readonly throwOnFailure?: boolean;
}

/**
 * Replays recorded histories (e.g. `await handle.fetchHistory()`, or JSON exported from the UI and
 * committed as a fixture) against the current workflow code with the same bundler configuration
 * as the workers. A nondeterministic change shows up as a DeterminismViolationError. A compiled
 * workflows module (`.js` in dist/) replays against its prebuilt bundle, as its worker runs it.
 */
export async function replayHistories(
  workflows: string | WorkflowBundleWithSourceMap | WorkflowBundlePath,
  histories: Iterable<HistoryAndWorkflowId> | AsyncIterable<HistoryAndWorkflowId>,
  options: ReplayHistoriesOptions,
): Promise<ReplayResult[]> {
  const prebuilt = typeof workflows === 'string' ? prebuiltWorkflowBundle(workflows) : workflows;
  const code =
    prebuilt !== undefined
      ? { workflowBundle: prebuilt }
      : { workflowsPath: workflows as string, bundlerOptions: workflowBundlerOptions(options.bundler) };
  const results: ReplayResult[] = [];
  const dataConverter = temporalDataConverter(options.payloadKeys);
  for await (const result of Worker.runReplayHistories({ ...code, dataConverter }, histories)) results.push(result);
  const failures = results.filter((r) => r.error !== undefined);
  if ((options.throwOnFailure ?? true) && failures.length > 0) throw new ReplayFailedError(failures);
  return results;
}
