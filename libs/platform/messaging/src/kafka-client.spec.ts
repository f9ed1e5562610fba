import { logLevel } from 'kafkajs';
import { kafkaClientConfig } from './kafka-client';

describe('kafkaClientConfig', () => {
  it('connects with SASL/SCRAM-SHA-512 as KAFKA_SASL_USERNAME', () => {
    const config = kafkaClientConfig('crm', { KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9094', KAFKA_SASL_USERNAME: 'crm', KAFKA_SASL_PASSWORD: 's3cret' });
    expect(config).toEqual({ clientId: 'crm', brokers: ['127.0.0.1:9092', '127.0.0.1:9094'], logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-512', username: 'crm', password: 's3cret' } });
  });

  it("takes a parsed service config's broker list and keeps the caller's options, never its own brokers or SASL", () => {
    const config = kafkaClientConfig('crm', { KAFKA_BROKERS: ['b:1'], KAFKA_SASL_USERNAME: 'crm', KAFKA_SASL_PASSWORD: 'p' }, { logLevel: logLevel.WARN, retry: { retries: 3 } });
    expect(config).toMatchObject({ brokers: ['b:1'], logLevel: logLevel.WARN, retry: { retries: 3 }, sasl: { username: 'crm' } });
  });

  it('connects without SASL when no username is configured, and refuses a username without a password', () => {
    expect(kafkaClientConfig('x', {})).toEqual({ clientId: 'x', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
    expect(() => kafkaClientConfig('x', { KAFKA_SASL_USERNAME: 'crm' })).toThrow('KAFKA_SASL_USERNAME is crm but KAFKA_SASL_PASSWORD is not set');
    expect(() => kafkaClientConfig('x', { KAFKA_BROKERS: ' , ' })).toThrow('KAFKA_BROKERS names no broker');
  });
});
