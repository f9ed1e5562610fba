import { contractChecks, tasksEventContractsV1 } from '@projectflo/contracts';
import type { EventChecks } from '@projectflo/platform/messaging';
import type { TaskEngineEventName } from '@projectflo/task-engine/domain';

/**
 * What a consumer of the task-engine's own topics checks before its handler runs: the schema
 * version and the payload of the event type's published contract (libs/contracts, the tasks
 * topics). A mismatch is dead-lettered; a handled type without a contract fails at registration.
 */
export function taskEngineEventChecks(type: TaskEngineEventName): EventChecks {
  return contractChecks(tasksEventContractsV1, type);
}
