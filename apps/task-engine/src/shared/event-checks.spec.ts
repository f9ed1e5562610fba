import { tasksEventContractsV1 } from '@projectflo/contracts';
import { TASK_ENGINE_EVENT_NAMES, type TaskEngineEventName } from '@projectflo/task-engine/domain';
import { taskEngineReadModelProjection } from '../read-model/read-model.projection';
import { taskEngineEventChecks } from './event-checks';

describe('task-engine consumer checks', () => {
  it('check every event type the service publishes against its contract, at the published version', () => {
    const types = Object.values(TASK_ENGINE_EVENT_NAMES).flat();
    for (const type of types) {
      const contract = tasksEventContractsV1[type];
      expect([type, taskEngineEventChecks(type)]).toEqual([type, { schemaVersions: [contract.schemaVersion], contract: contract.schema }]);
    }
  });

  it('cover every event type the read model projects', () => {
    for (const type of taskEngineReadModelProjection.handles) expect(taskEngineEventChecks(type as TaskEngineEventName).contract).toBeDefined();
  });

  it('refuse a type that has no published contract', () => {
    expect(() => taskEngineEventChecks('BusinessCalendarCleared' as TaskEngineEventName)).toThrow('event type BusinessCalendarCleared has no published contract');
  });

  it('check the business calendar the service now publishes', () => {
    expect(taskEngineEventChecks('BusinessCalendarSet').schemaVersions).toEqual([1]);
  });
});
