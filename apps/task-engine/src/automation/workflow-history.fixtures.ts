import { join } from 'node:path';
import { loadHistoryFixtures as loadFixturesIn } from '@projectflo/platform/workflow';
import type { HistoryAndWorkflowId } from '@temporalio/client';

export { historyFixtureJson } from '@projectflo/platform/workflow';

/** The expansion histories recorded for replay (RELIABILITY 10; platform/workflow history-fixtures.ts). */
export const HISTORY_FIXTURES_DIR = join(__dirname, '__fixtures__');

/** Every `*.history.json` fixture in the folder, ready for replayHistories. */
export function loadHistoryFixtures(dir: string = HISTORY_FIXTURES_DIR): HistoryAndWorkflowId[] {
  return loadFixturesIn(dir);
}
