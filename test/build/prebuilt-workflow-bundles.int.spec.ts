import { join } from 'node:path';
import { loadHistoryFixtures, payloadKeyringFromEnv, replayHistories } from '@projectflo/platform/workflow';
import { build, DIST } from '../../scripts/build';

// The services' workers run prebuilt workflow bundles (scripts/build.ts), not bundles made from the
// source at start: every recorded history of every service must replay against the bundle its
// compiled worker loads, exactly as the source replay specs check the source. Needs no server.

const ROOT = join(__dirname, '..', '..');
const CASES: readonly { fixtures: string; compiledWorkflows: string }[] = [
  { fixtures: 'apps/task-engine/src/automation/__fixtures__', compiledWorkflows: 'apps/task-engine/src/automation/expansion.workflows.js' },
  // expansion.workflows re-exports expandBuildWorkflow: the task-engine's one bundle runs both.
  { fixtures: 'apps/task-engine/src/component-recipes/__fixtures__', compiledWorkflows: 'apps/task-engine/src/automation/expansion.workflows.js' },
  { fixtures: 'apps/scheduling/src/task-schedules/__fixtures__', compiledWorkflows: 'apps/scheduling/src/task-schedules/task-timers.workflows.js' },
  { fixtures: 'apps/notifications/src/deliveries/__fixtures__', compiledWorkflows: 'apps/notifications/src/deliveries/delivery.workflows.js' },
];

beforeAll(async () => {
  await build({ ifChanged: true, quiet: true });
}, 180_000);

describe('prebuilt workflow bundles', () => {
  it.each(CASES)('replay every recorded history in $fixtures against dist/$compiledWorkflows', async ({ fixtures, compiledWorkflows }) => {
    const histories = loadHistoryFixtures(join(ROOT, fixtures));
    expect(histories.length).toBeGreaterThan(0);
    const results = await replayHistories(join(DIST, compiledWorkflows), histories, { payloadKeys: payloadKeyringFromEnv() });
    expect(results.map((r) => [r.workflowId, r.error])).toEqual(histories.map((h) => [h.workflowId, undefined]));
  });
});
