import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, type Role, serviceSubject, signToken, type SigningKey, type TokenClaims } from '@projectflo/platform/auth';

/** The AUTH_* settings that make a service trust a TestIssuer's tokens. */
export interface TestAuthEnv {
  readonly AUTH_JWKS_FILE: string;
  readonly AUTH_ISSUER: string;
  readonly AUTH_AUDIENCE: string;
}

export interface TestTokenOptions {
  readonly tenantId: string;
  /** crm's user id, or the `service:<name>` of a service. */
  readonly userId: string;
  /** The caller's roles; a test caller is an owner unless the test says otherwise. */
  readonly roles?: readonly Role[];
  readonly ttlSeconds?: number;
}

const TEST_ISSUER = 'projectflo-test';
const TEST_AUDIENCE = 'projectflo';

let shared: TestIssuer | undefined;

/**
 * An identity provider for tests: its own ES256 key, a JWKS file in a temporary directory that
 * the services under test trust (`env`), and tokens good or bad on demand. Tokens are signed
 * synchronously, so callers build their headers inline.
 */
export class TestIssuer {
  readonly env: TestAuthEnv;
  private readonly key: SigningKey = generateSigningKey();

  private constructor(private readonly dir: string) {
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [this.key.publicJwk] }));
    this.env = { AUTH_JWKS_FILE: jwksFile, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE };
  }

  /**
   * The issuer of this test process, made on first use. It also sets its AUTH_* variables in
   * process.env, so services started from here (in-process or as child processes) trust it.
   */
  static shared(): TestIssuer {
    if (shared === undefined) {
      const issuer = new TestIssuer(mkdtempSync(join(tmpdir(), 'projectflo-test-issuer-')));
      Object.assign(process.env, issuer.env);
      delete process.env['AUTH_JWKS_URL'];
      process.once('exit', () => rmSync(issuer.dir, { recursive: true, force: true }));
      shared = issuer;
    }
    return shared;
  }

  /** A valid access token (an hour by default) of a user of the tenant, owner unless `roles` says otherwise. */
  token(options: TestTokenOptions): string {
    return signToken(this.key, this.claims(options));
  }

  /** A valid access token of a service's own identity (`service:<name>`) for the tenant. */
  serviceToken(service: string, tenantId: string): string {
    return signToken(this.key, { ...this.claims({ tenantId, userId: serviceSubject(service) }), roles: [] });
  }

  /** A token that expired a minute ago. */
  expiredToken(options: TestTokenOptions): string {
    return signToken(this.key, { ...this.claims(options), issuedAt: new Date(Date.now() - 3_660_000), ttlSeconds: 3600 });
  }

  /** A token signed by another key under this issuer's key id: a forged signature. */
  forgedToken(options: TestTokenOptions): string {
    return signToken({ kid: this.key.kid, privateJwk: generateSigningKey().privateJwk }, this.claims(options));
  }

  /** A token for another service's audience. */
  wrongAudienceToken(options: TestTokenOptions): string {
    return signToken(this.key, { ...this.claims(options), audience: 'another-api' });
  }

  /** The metadata header that carries a token. */
  static bearer(token: string): { authorization: string } {
    return { authorization: `Bearer ${token}` };
  }

  /** `authorization: Bearer <token(options)>`. */
  headers(options: TestTokenOptions): { authorization: string } {
    return TestIssuer.bearer(this.token(options));
  }

  private claims(options: TestTokenOptions): TokenClaims {
    return {
      issuer: this.env.AUTH_ISSUER,
      audience: this.env.AUTH_AUDIENCE,
      tenantId: options.tenantId,
      subject: options.userId,
      roles: options.roles ?? ['owner'],
      issuedAt: new Date(),
      ttlSeconds: options.ttlSeconds ?? 3600,
    };
  }
}

/**
 * A user of one tenant calling with a token of the shared TestIssuer (an owner unless `roles`
 * says otherwise): `query()` is its headers, `command()` adds a fresh (or given) request id.
 */
export class Caller {
  private token: string | undefined;

  constructor(
    readonly tenantId: string = randomUUID(),
    readonly actorId: string = randomUUID(),
    readonly roles: readonly Role[] = ['owner'],
  ) {}

  query(): Record<string, string> {
    this.token ??= TestIssuer.shared().token({ tenantId: this.tenantId, userId: this.actorId, roles: this.roles });
    return TestIssuer.bearer(this.token);
  }

  command(requestId: string = randomUUID()): Record<string, string> {
    return { ...this.query(), 'x-request-id': requestId };
  }
}
