import type { MikroORM } from '@mikro-orm/postgresql';
import { FixedClock } from '@projectflo/platform/core';
import type { Logger } from '@projectflo/platform/logging';
import { EventConsumer, MessageConsumer } from '@projectflo/platform/messaging';
import type { Kafka } from 'kafkajs';
import { ConsumerFactory } from './consumer-factory';
import type { ManagedConsumer, ServiceHost } from './service-host';
import type { EventSourcedServiceOptions } from './service-options';

describe('ConsumerFactory', () => {
  const registered: ManagedConsumer[] = [];
  const host = { addConsumer: (consumer: ManagedConsumer) => registered.push(consumer) } as unknown as ServiceHost;
  const options = {
    service: 'crm',
    schema: 'crm_test',
    topics: {},
    consumes: { 'read-model': ['crm.lead.v1'], inbound: [{ prefix: 'tasks.external-events.in.v1.' }] },
    entities: [],
    migrationsPath: '',
  } as EventSourcedServiceOptions;
  const factory = new ConsumerFactory({} as Kafka, {} as MikroORM, options, {} as Logger, new FixedClock(new Date(0)), host);

  it("creates event and raw-message consumers in the service instance's groups and registers them with the host", () => {
    const events = factory.events('read-model', ['crm.lead.v1']);
    const messages = factory.messages('inbound', [{ prefix: 'tasks.external-events.in.v1.' }], async () => 'processed');
    expect(events).toBeInstanceOf(EventConsumer);
    expect(messages).toBeInstanceOf(MessageConsumer);
    expect([events.groupId, messages.groupId]).toEqual(['crm_test.read-model', 'crm_test.inbound']);
    expect(events.deadLetterTopic).toBe('crm_test.read-model.dlq');
    expect(registered).toEqual([events, messages]);
  });

  it('refuses a consumer its service options do not declare: its Kafka user would not be allowed to read', () => {
    expect(() => factory.events('lead-automation', ['crm.lead.v1'])).toThrow("crm: consumer 'lead-automation' reads [\"crm.lead.v1\"], which its service options do not declare in consumes['lead-automation']");
    expect(() => factory.events('read-model', ['crm.lead.v1', 'crm.contact.v1'])).toThrow(/consumer 'read-model' reads \["crm.contact.v1"\]/);
    expect(() => factory.messages('inbound', [{ prefix: 'tasks.' }], async () => 'processed')).toThrow(/reads \[\{"prefix":"tasks."\}\]/);
  });
});
