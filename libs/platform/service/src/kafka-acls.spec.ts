import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, type AclEntry, ResourcePatternTypes } from 'kafkajs';
import { inboundProducerAcls, serviceAcls } from './kafka-acls';

const nameOf = (values: object, value: number): string => Object.entries(values).find(([, v]) => v === value)![0];

/** `OPERATION RESOURCE PATTERN name` lines, for readable expectations. */
function lines(acls: readonly AclEntry[], principal: string): string[] {
  for (const acl of acls) {
    expect(acl).toMatchObject({ principal, host: '*', permissionType: AclPermissionTypes.ALLOW });
  }
  return acls
    .map((a) => `${nameOf(AclOperationTypes, a.operation)} ${nameOf(AclResourceTypes, a.resourceType)} ${nameOf(ResourcePatternTypes, a.resourcePatternType)} ${a.resourceName}`)
    .sort();
}

describe('serviceAcls', () => {
  const options = {
    service: 'task-engine',
    topics: { task: 'tasks.task.v1', 'internal-counter': null },
    extraTopics: ['crm.lead.v1'],
    consumes: { 'lead-automation': ['crm.lead.v1'], inbound: [{ prefix: 'tasks.external-events.in.v1.' }] },
  };

  it('grants writing its published topics, creating its extra topics, and reading what each consumer declares in its own group', () => {
    expect(lines(serviceAcls(options, { topicPrefix: '', schema: 'task_engine' }), 'User:task-engine')).toEqual(
      [
        'IDEMPOTENT_WRITE CLUSTER LITERAL kafka-cluster',
        'WRITE TOPIC LITERAL tasks.task.v1',
        'DESCRIBE TOPIC LITERAL tasks.task.v1',
        'CREATE TOPIC LITERAL tasks.task.v1',
        'DESCRIBE TOPIC LITERAL crm.lead.v1',
        'CREATE TOPIC LITERAL crm.lead.v1',
        'READ GROUP LITERAL task_engine.lead-automation',
        'DESCRIBE GROUP LITERAL task_engine.lead-automation',
        'READ TOPIC LITERAL crm.lead.v1',
        'DESCRIBE TOPIC LITERAL crm.lead.v1',
        'WRITE TOPIC LITERAL task_engine.lead-automation.dlq',
        'DESCRIBE TOPIC LITERAL task_engine.lead-automation.dlq',
        'CREATE TOPIC LITERAL task_engine.lead-automation.dlq',
        'READ GROUP LITERAL task_engine.inbound',
        'DESCRIBE GROUP LITERAL task_engine.inbound',
        'READ TOPIC PREFIXED tasks.external-events.in.v1.',
        'DESCRIBE TOPIC PREFIXED tasks.external-events.in.v1.',
        'WRITE TOPIC LITERAL task_engine.inbound.dlq',
        'DESCRIBE TOPIC LITERAL task_engine.inbound.dlq',
        'CREATE TOPIC LITERAL task_engine.inbound.dlq',
      ].sort(),
    );
  });

  it("scopes every topic to the run's prefix and every group and dead-letter topic to its schema", () => {
    const names = serviceAcls(options, { topicPrefix: 'e2e-1.', schema: 'task_engine_e2e_1' })
      .filter((a) => a.resourceType !== AclResourceTypes.CLUSTER)
      .map((a) => a.resourceName);
    expect(new Set(names)).toEqual(
      new Set([
        'e2e-1.tasks.task.v1',
        'e2e-1.crm.lead.v1',
        'task_engine_e2e_1.lead-automation',
        'e2e-1.task_engine_e2e_1.lead-automation.dlq',
        'task_engine_e2e_1.inbound',
        'e2e-1.tasks.external-events.in.v1.',
        'e2e-1.task_engine_e2e_1.inbound.dlq',
      ]),
    );
  });

  it('grants a service without consumers no read at all', () => {
    const acls = serviceAcls({ service: 'scheduling', topics: { reminder: 'scheduling.reminder.v1' } }, { topicPrefix: '', schema: 'scheduling' });
    expect(acls.filter((a) => a.operation === AclOperationTypes.READ)).toEqual([]);
  });
});

describe('inboundProducerAcls', () => {
  it("lets a tenant's inbound user write and describe its own topic only", () => {
    expect(lines(inboundProducerAcls('User:inbound-t1', 'tasks.external-events.in.v1.t1'), 'User:inbound-t1')).toEqual([
      'DESCRIBE TOPIC LITERAL tasks.external-events.in.v1.t1',
      'WRITE TOPIC LITERAL tasks.external-events.in.v1.t1',
    ]);
  });
});
