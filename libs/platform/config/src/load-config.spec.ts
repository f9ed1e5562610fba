import { z } from 'zod';
import { baseConfigSchema } from './base-config';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives the local infrastructure defaults when nothing is set', () => {
    expect(loadConfig(baseConfigSchema, {})).toEqual({
      PROJECTFLO_ENV: 'development',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'projectflo',
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      AUTH_ISSUER: 'projectflo-dev',
      AUTH_AUDIENCE: 'projectflo',
    });
  });

  it('parses set values, treating empty strings as unset', () => {
    const config = loadConfig(baseConfigSchema, { GRPC_PORT: '6000', KAFKA_BROKERS: 'a:1, b:2', LOG_LEVEL: '', EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false' });
    expect(config.GRPC_PORT).toBe(6000);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.EVENTSTORE_URL).toBe('esdb://127.0.0.1:2113?tls=false');
  });

  it('names every bad variable, its value and its purpose at once', () => {
    const attempt = () => loadConfig(baseConfigSchema, { GRPC_PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/^DATABASE_URL is invalid: expected a postgres:\/\/ URL, got "mysql:\/\/x" \(postgres URL of the service's own login role/m);
      expect(problems.join('\n')).toMatch(/^GRPC_PORT is invalid: .*"abc"/m);
      expect(problems.join('\n')).toMatch(/^LOG_LEVEL is invalid: .*"loud"/m);
    }
  });

  it('never prints the password of a malformed DATABASE_URL: the variable is named, its credentials masked', () => {
    const attempt = () => loadConfig(baseConfigSchema, { DATABASE_URL: 'postgres://app:s3cr et@db:port/projectflo' });
    expect(attempt).toThrow('DATABASE_URL is invalid');
    expect(attempt).toThrow('got "postgres://[redacted]@db:port/projectflo"');
    expect(attempt).not.toThrow(/s3cr/);
  });

  it('reports a required variable without a default as required, with its description', () => {
    const schema = baseConfigSchema.extend({ SMTP_URL: z.string().url().describe('SMTP server URL for email delivery') });
    expect(() => loadConfig(schema, {})).toThrow('Invalid configuration: SMTP_URL is required (SMTP server URL for email delivery)');
  });
});

describe('EVENTSTORE_URL', () => {
  it('treats an empty value (docker-compose default) as unset, and still rejects a non-esdb URL', () => {
    expect(loadConfig(baseConfigSchema, { EVENTSTORE_URL: '' }).EVENTSTORE_URL).toBeUndefined();
    expect(loadConfig(baseConfigSchema, { EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false' }).EVENTSTORE_URL).toBe('esdb://127.0.0.1:2113?tls=false');
    expect(() => loadConfig(baseConfigSchema, { EVENTSTORE_URL: 'http://nope' })).toThrow(/EVENTSTORE_URL/);
  });
});
