import { join } from 'node:path';
import { loadHistoryFixtures, payloadKeyringFromEnv, replayHistories } from '@projectflo/platform/workflow';
import { SCHEDULING_WORKFLOWS_PATH } from '../scheduling.service-options';

// RELIABILITY 10: histories recorded from finished task timers runs (__fixtures__, refreshed by
// running task-timers.int.spec.ts with RECORD_WORKFLOW_FIXTURES=1 [FIXTURE_LABEL=vN]) must replay
// against the current workflow code: v1 was recorded before the `fire-returns-schedule` patch, so
// its replay goes through the unpatched branch. Needs no server: it bundles and replays locally.

describe('task timers workflow determinism', () => {
  it('replays every recorded task timers history against the current code', async () => {
    const histories = loadHistoryFixtures(join(__dirname, '__fixtures__'));
    expect(histories.length).toBeGreaterThan(0);
    const results = await replayHistories(SCHEDULING_WORKFLOWS_PATH, histories, { payloadKeys: payloadKeyringFromEnv() });
    expect(results.map((r) => [r.workflowId, r.error])).toEqual(histories.map((h) => [h.workflowId, undefined]));
  });
});
