import { payloadKeyringFromEnv, replayHistories } from '@projectflo/platform/workflow';
import { EXPANSION_WORKFLOWS_PATH } from '../task-engine.service-options';
import { loadHistoryFixtures } from './workflow-history.fixtures';

// RELIABILITY 10: histories recorded from finished expansions (apps/task-engine/src/automation/
// __fixtures__, refreshed by running task-engine.int.spec.ts with RECORD_WORKFLOW_FIXTURES=1) must
// replay against the current workflow code. A change that breaks determinism fails here, before
// it can strand the executions that are running in production. Needs no server: it bundles the
// workflow code and replays locally.

describe('expansion workflow determinism', () => {
  it('replays every recorded expansion history against the current code', async () => {
    const histories = loadHistoryFixtures();
    expect(histories.length).toBeGreaterThan(0);
    const results = await replayHistories(EXPANSION_WORKFLOWS_PATH, histories, { payloadKeys: payloadKeyringFromEnv() });
    expect(results.map((r) => [r.workflowId, r.error])).toEqual(histories.map((h) => [h.workflowId, undefined]));
  });
});
