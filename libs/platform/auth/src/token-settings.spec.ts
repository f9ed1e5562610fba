import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@projectflo/platform/core';
import { generateSigningKey, signToken } from './token-issuer';
import { devAuthDir, tokenVerifierFromSettings } from './token-settings';

const DEVELOPMENT = { production: false };

describe('tokenVerifierFromSettings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies against AUTH_JWKS_FILE with AUTH_ISSUER and AUTH_AUDIENCE', async () => {
    const key = generateSigningKey();
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [key.publicJwk] }));
    const verifier = tokenVerifierFromSettings({ AUTH_JWKS_FILE: jwksFile, AUTH_ISSUER: 'iss-1', AUTH_AUDIENCE: 'aud-1' }, systemClock, DEVELOPMENT);
    const claims = { tenantId: '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b', subject: 'u-1', roles: ['member' as const], issuedAt: new Date(), ttlSeconds: 60 };
    await expect(verifier.verify(signToken(key, { ...claims, issuer: 'iss-1', audience: 'aud-1' }))).resolves.toMatchObject({ userId: 'u-1' });
    await expect(verifier.verify(signToken(key, { ...claims, issuer: 'iss-2', audience: 'aud-1' }))).rejects.toThrow(/iss/);
  });

  it('refuses to start on a JWKS file that does not exist, saying how to make one', () => {
    const missing = join(dir, 'nothing.json');
    expect(() => tokenVerifierFromSettings({ AUTH_JWKS_FILE: missing, AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, systemClock, DEVELOPMENT)).toThrow(
      new RegExp(`no JWKS at ${missing}.*scripts/auth.ts keys`),
    );
  });

  it('takes AUTH_JWKS_URL over a file, and needs no file then', () => {
    expect(() =>
      tokenVerifierFromSettings({ AUTH_JWKS_URL: 'https://id.example/jwks.json', AUTH_JWKS_FILE: join(dir, 'nothing.json'), AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, systemClock, DEVELOPMENT),
    ).not.toThrow();
  });

  it('refuses the development issuer in production, whatever keys are configured', () => {
    expect(() =>
      tokenVerifierFromSettings({ AUTH_ISSUER: 'projectflo-dev', AUTH_AUDIENCE: 'a', AUTH_JWKS_URL: 'https://idp.example/jwks' }, systemClock, { production: true }),
    ).toThrow(/AUTH_ISSUER must name the identity provider in production/);
  });

  it('never falls back to the development keys in production', () => {
    expect(() => tokenVerifierFromSettings({ AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, systemClock, { production: true })).toThrow(/required in production/);
  });

  it('keeps the development keys under PROJECTFLO_STATE/auth', () => {
    expect(devAuthDir('/srv/state')).toBe('/srv/state/auth');
  });
});
