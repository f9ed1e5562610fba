import type { GrpcHealth } from '@projectflo/platform/grpc';
import type { LogFields, Logger } from '@projectflo/platform/logging';
import type { Consumer, Kafka } from 'kafkajs';
import { ServiceSupervisor } from './service-supervisor';

function harness() {
  const health = { states: [] as string[], notServing() { this.states.push('NOT_SERVING'); } };
  const errors: { message: string; fields?: LogFields }[] = [];
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message, fields) => void errors.push({ message, fields }) };
  let terminations = 0;
  const supervisor = new ServiceSupervisor(health as unknown as GrpcHealth, logger, () => void terminations++);
  return { supervisor, health, errors, terminations: () => terminations };
}

/** The part of a kafkajs consumer that superviseConsumers uses: its CRASH instrumentation event. */
function fakeKafka(): { kafka: Kafka; crash(payload: { groupId: string; error: Error; restart: boolean }): void } {
  const listeners: ((event: { payload: unknown }) => void)[] = [];
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (_event: string, listener: (event: { payload: unknown }) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
  } as unknown as Consumer;
  const kafka = { consumer: () => consumer, producer: () => undefined, admin: () => undefined, logger: () => undefined } as unknown as Kafka;
  return { kafka, crash: (payload) => listeners.forEach((l) => l({ payload })) };
}

describe('ServiceSupervisor', () => {
  it('turns the service NOT_SERVING, says which part died and why, and terminates the process', () => {
    const h = harness();
    h.supervisor.fail('temporal worker', new Error('core: poll failed'));
    expect(h.health.states).toEqual(['NOT_SERVING']);
    expect(h.terminations()).toBe(1);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0].fields).toMatchObject({ part: 'temporal worker' });
    expect((h.errors[0].fields?.['err'] as Error).message).toBe('core: poll failed');
    expect(h.supervisor.failedPart).toBe('temporal worker');
  });

  it('terminates once, whatever fails after the first part', () => {
    const h = harness();
    h.supervisor.fail('temporal worker', new Error('first'));
    h.supervisor.fail('kafka consumer crm.read-model', new Error('second'));
    expect(h.terminations()).toBe(1);
    expect(h.supervisor.failedPart).toBe('temporal worker');
  });

  it('fails the service when kafkajs gives up on a consumer, not when it restarts one', () => {
    const h = harness();
    const fake = fakeKafka();
    h.supervisor.superviseConsumers(fake.kafka).consumer({ groupId: 'crm.read-model' });
    fake.crash({ groupId: 'crm.read-model', error: new Error('rebalance in progress'), restart: true });
    expect(h.terminations()).toBe(0);
    fake.crash({ groupId: 'crm.read-model', error: new Error('not retriable'), restart: false });
    expect(h.terminations()).toBe(1);
    expect(h.supervisor.failedPart).toBe('kafka consumer crm.read-model');
  });
});
