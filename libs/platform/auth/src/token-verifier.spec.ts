import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { DomainErrorCode, FixedClock, systemClock } from '@projectflo/platform/core';
import { generateSigningKey, serviceSubject, signToken, type SigningKey, type TokenClaims } from './token-issuer';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

const ISSUER = 'https://id.projectflo.test';
const AUDIENCE = 'projectflo-api';
const TENANT = '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const NOW = new Date('2026-03-01T10:00:00Z');

describe('createTokenVerifier (JWKS file)', () => {
  let dir: string;
  let jwksFile: string;
  let key: SigningKey;
  let clock: FixedClock;
  let verifier: TokenVerifier;

  const writeJwks = (...keys: SigningKey[]) => writeFileSync(jwksFile, JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
    issuer: ISSUER,
    audience: AUDIENCE,
    tenantId: TENANT,
    subject: 'user-ada',
    roles: ['manager'],
    issuedAt: NOW,
    ttlSeconds: 3600,
    ...overrides,
  });
  const refusal = async (token: string) => {
    const error = await verifier.verify(token).then(
      () => undefined,
      (e: unknown) => e as { code: DomainErrorCode; message: string },
    );
    expect(error?.code).toBe(DomainErrorCode.Unauthenticated);
    expect(error!.message).not.toContain(token);
    return error!.message;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'token-verifier-'));
    jwksFile = join(dir, 'jwks.json');
    key = generateSigningKey('key-1');
    writeJwks(key);
    clock = new FixedClock(NOW);
    verifier = createTokenVerifier({ jwksFile, issuer: ISSUER, audience: AUDIENCE, clock });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a valid user token and returns its tenant, user, roles and expiry', async () => {
    const principal = await verifier.verify(signToken(key, claims({ roles: ['manager', 'manager'] })));
    expect(principal).toEqual({
      tenantId: TENANT,
      userId: 'user-ada',
      roles: ['manager'],
      kind: 'user',
      expiresAt: new Date(NOW.getTime() + 3600_000),
    });
  });

  it('accepts a service token as a service principal without roles', async () => {
    const principal = await verifier.verify(signToken(key, claims({ subject: serviceSubject('task-engine'), roles: [] })));
    expect(principal).toMatchObject({ kind: 'service', userId: 'service:task-engine', roles: [] });
  });

  it('refuses a service token that claims roles', async () => {
    expect(await refusal(signToken(key, claims({ subject: serviceSubject('task-engine'), roles: ['owner'] })))).toContain('no roles');
  });

  it('refuses a token that lives longer than a day, even while it is valid', async () => {
    expect(await refusal(signToken(key, claims({ ttlSeconds: 24 * 3600 + 1 })))).toContain('lives longer than 24 h');
    await expect(verifier.verify(signToken(key, claims({ ttlSeconds: 24 * 3600 })))).resolves.toMatchObject({ userId: 'user-ada' });
  });

  it('refuses an expired token, by the injected clock', async () => {
    const token = signToken(key, claims({ ttlSeconds: 60 }));
    clock.advance(60_000 + 6_000);
    expect(await refusal(token)).toContain('expired');
  });

  it('accepts a token within the clock tolerance of its expiry', async () => {
    const token = signToken(key, claims({ ttlSeconds: 60 }));
    clock.advance(62_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user-ada' });
  });

  it('refuses a token that is not valid yet', async () => {
    expect(await refusal(signToken(key, claims({ notBeforeSeconds: 600 })))).toContain('nbf');
  });

  it('refuses a token signed by another key under a trusted key id', async () => {
    const forger = generateSigningKey('key-1');
    expect(await refusal(signToken(forger, claims()))).toContain('signature');
  });

  it('refuses a token signed by a key the JWKS does not hold', async () => {
    expect(await refusal(signToken(generateSigningKey('key-x'), claims()))).toContain('unknown key');
  });

  it('refuses a wrong audience and a wrong issuer', async () => {
    expect(await refusal(signToken(key, claims({ audience: 'another-api' })))).toContain('aud');
    expect(await refusal(signToken(key, claims({ issuer: 'https://evil.test' })))).toContain('iss');
  });

  it('refuses a token without a tenant, or with a tenant that is not a lower-case UUID', async () => {
    const privateKey = await importJWK(key.privateJwk, 'ES256');
    const withoutTenant = await new SignJWT({ roles: ['owner'] })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-ada')
      .setIssuedAt(NOW)
      .setExpirationTime(new Date(NOW.getTime() + 60_000))
      .sign(privateKey);
    expect(await refusal(withoutTenant)).toContain('tenant_id');
    expect(await refusal(signToken(key, claims({ tenantId: TENANT.toUpperCase() })))).toContain('tenant_id');
  });

  it('refuses a token without an issue time (its lifetime could not be checked)', async () => {
    const privateKey = await importJWK(key.privateJwk, 'ES256');
    const undated = await new SignJWT({ tenant_id: TENANT, roles: [] })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-ada')
      .setExpirationTime(Math.floor(NOW.getTime() / 1000) + 600)
      .sign(privateKey);
    expect(await refusal(undated)).toContain('iat');
  });

  it('refuses a token without an expiry', async () => {
    const privateKey = await importJWK(key.privateJwk, 'ES256');
    const endless = await new SignJWT({ tenant_id: TENANT, roles: [] })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-ada')
      .setIssuedAt(Math.floor(NOW.getTime() / 1000))
      .sign(privateKey);
    expect(await refusal(endless)).toContain('exp');
  });

  it('refuses an unknown role', async () => {
    expect(await refusal(signToken(key, claims({ roles: ['superuser' as 'owner'] })))).toContain('roles');
  });

  it("refuses an unsigned token (alg 'none')", async () => {
    const unsigned = new UnsecuredJWT({ tenant_id: TENANT, roles: ['owner'] })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-ada')
      .setExpirationTime(new Date(NOW.getTime() + 60_000))
      .encode();
    await refusal(unsigned);
  });

  it('refuses garbage without quoting it', async () => {
    await refusal('not.a.jwt-at-all');
  });

  it('follows key rotation in the JWKS file without a restart: a new key is accepted, a retired key refused', async () => {
    const next = generateSigningKey('key-2');
    const oldToken = signToken(key, claims());
    await verifier.verify(oldToken); // the file is loaded with key-1 only
    writeJwks(key, next);
    await expect(verifier.verify(signToken(next, claims()))).resolves.toMatchObject({ userId: 'user-ada' });
    writeJwks(next);
    expect(await refusal(oldToken)).toContain('unknown key');
  });

  it('refuses to start without exactly one key source', () => {
    expect(() => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, clock })).toThrow(/exactly one/);
  });
});

describe('createTokenVerifier (JWKS URL)', () => {
  const key = generateSigningKey('url-key-1');
  let served: SigningKey[] = [key];
  let fetches = 0;
  const server = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: served.map((k) => k.publicJwk) }));
  });
  let jwksUrl: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const claims: TokenClaims = { issuer: ISSUER, audience: AUDIENCE, tenantId: TENANT, subject: 'user-ada', roles: ['member'], issuedAt: new Date(), ttlSeconds: 600 };

  it("verifies against the identity provider's keys (the next key published before it signs), fetching them once", async () => {
    const next = generateSigningKey('url-key-2');
    served = [key, next];
    const verifier = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, clock: systemClock });
    await expect(verifier.verify(signToken(key, claims))).resolves.toMatchObject({ userId: 'user-ada', roles: ['member'] });
    await expect(verifier.verify(signToken(next, claims))).resolves.toMatchObject({ userId: 'user-ada' });
    expect(fetches).toBe(1);
  });

  it('refuses a token whose key the identity provider does not publish', async () => {
    const verifier = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, clock: systemClock });
    await expect(verifier.verify(signToken(generateSigningKey('stranger'), claims))).rejects.toMatchObject({ code: DomainErrorCode.Unauthenticated });
  });
});
