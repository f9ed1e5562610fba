import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '@projectflo/platform/secrets';
import { devPayloadKeyFile, payloadKeyringFromEnv } from './payload-keys';

describe('payloadKeyringFromEnv', () => {
  const configured = generateKey('k-prod');
  const dev = generateKey('dev-1');
  let state: string;
  const previousState = process.env['PROJECTFLO_STATE'];

  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'payload-keys-'));
    process.env['PROJECTFLO_STATE'] = state;
  });

  afterEach(() => {
    if (previousState === undefined) delete process.env['PROJECTFLO_STATE'];
    else process.env['PROJECTFLO_STATE'] = previousState;
    rmSync(state, { recursive: true, force: true });
  });

  const writeDevKey = (): void => {
    mkdirSync(join(state, 'secrets'));
    writeFileSync(devPayloadKeyFile(), `${dev}\n`);
  };

  it('takes the configured keys first', () => {
    writeDevKey();
    expect(payloadKeyringFromEnv({ TEMPORAL_PAYLOAD_KEYS: configured }).currentKeyId).toBe('k-prod');
  });

  it('falls back to the development key in development', () => {
    writeDevKey();
    expect(payloadKeyringFromEnv({}).currentKeyId).toBe('dev-1');
  });

  it('refuses to start without configured keys in production, even beside a development key', () => {
    writeDevKey();
    expect(() => payloadKeyringFromEnv({ PROJECTFLO_ENV: 'production' })).toThrow('production never uses the development key');
    expect(() => payloadKeyringFromEnv({ NODE_ENV: 'production' })).toThrow('TEMPORAL_PAYLOAD_KEYS is required');
    expect(payloadKeyringFromEnv({ PROJECTFLO_ENV: 'production', TEMPORAL_PAYLOAD_KEYS: configured }).currentKeyId).toBe('k-prod');
  });

  it('refuses to start with no keys and no development key', () => {
    expect(() => payloadKeyringFromEnv({})).toThrow(/no development key at .*temporal-payload-keys/);
  });
});
