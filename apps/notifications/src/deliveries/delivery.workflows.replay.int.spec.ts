import { join } from 'node:path';
import { loadHistoryFixtures, payloadKeyringFromEnv, replayHistories } from '@projectflo/platform/workflow';
import { NOTIFICATIONS_WORKFLOWS_PATH } from '../notifications.service-options';

// RELIABILITY 10: histories recorded from finished notifications (a retried send, an SMS falling
// back to email, a wait for the end of quiet hours, a digest of three tasks; refreshed by running notifications.int.spec.ts
// with RECORD_WORKFLOW_FIXTURES=1) must replay against the current workflow code. Needs no server.

describe('notification workflow determinism', () => {
  it('replays every recorded notification history against the current code', async () => {
    const histories = loadHistoryFixtures(join(__dirname, '__fixtures__'));
    expect(histories.length).toBeGreaterThanOrEqual(4);
    const results = await replayHistories(NOTIFICATIONS_WORKFLOWS_PATH, histories, { payloadKeys: payloadKeyringFromEnv() });
    expect(results.map((r) => [r.workflowId, r.error])).toEqual(histories.map((h) => [h.workflowId, undefined]));
  });
});
