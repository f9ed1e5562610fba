import { join } from 'node:path';
import { loadHistoryFixtures, payloadKeyringFromEnv, replayHistories } from '@projectflo/platform/workflow';
import { EXPANSION_WORKFLOWS_PATH } from '../task-engine.service-options';

// RELIABILITY 10: a history recorded from a finished build expansion (./__fixtures__, refreshed by
// running component-recipes.int.spec.ts with RECORD_WORKFLOW_FIXTURES=1) must replay against the
// current workflow code. Needs no server: it bundles the workflow code and replays locally.

describe('build expansion workflow determinism', () => {
  it('replays every recorded build expansion history against the current code', async () => {
    const histories = loadHistoryFixtures(join(__dirname, '__fixtures__'));
    expect(histories.map((h) => h.workflowId.split('/')[2])).toEqual(['build']);
    const results = await replayHistories(EXPANSION_WORKFLOWS_PATH, histories, { payloadKeys: payloadKeyringFromEnv() });
    expect(results.map((r) => [r.workflowId, r.error])).toEqual(histories.map((h) => [h.workflowId, undefined]));
  });
});
