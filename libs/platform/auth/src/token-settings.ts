import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@projectflo/platform/core';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

/** The issuer of development tokens (scripts/auth.ts) and the AUTH_ISSUER default. */
export const DEV_TOKEN_ISSUER = 'projectflo-dev';
/** The audience of every ProjectFlo access token by default (AUTH_AUDIENCE). */
export const DEV_TOKEN_AUDIENCE = 'projectflo';

/** Where scripts/auth.ts keeps the development keys: `<PROJECTFLO_STATE, default <repo>/.infra>/auth`. */
export function devAuthDir(stateDir: string = process.env['PROJECTFLO_STATE'] ?? join(__dirname, '..', '..', '..', '..', '.infra')): string {
  return join(stateDir, 'auth');
}

/** The development JWKS (public keys) that services trust when neither AUTH_JWKS_URL nor AUTH_JWKS_FILE is set. */
export function devJwksFile(): string {
  return join(devAuthDir(), 'jwks.json');
}

/** The AUTH_* settings of a service configuration (base-config.ts). */
export interface TokenSettings {
  readonly AUTH_JWKS_URL?: string | undefined;
  readonly AUTH_JWKS_FILE?: string | undefined;
  readonly AUTH_ISSUER: string;
  readonly AUTH_AUDIENCE: string;
}

/**
 * The verifier of a service's configuration: the JWKS URL when set, else the JWKS file (on a
 * developer machine the development one by default; in production one of the two must be set).
 * A file that does not exist refuses the start, naming how to make it.
 */
export function tokenVerifierFromSettings(settings: TokenSettings, clock: Clock, environment: { readonly production: boolean }): TokenVerifier {
  const common = { issuer: settings.AUTH_ISSUER, audience: settings.AUTH_AUDIENCE, clock };
  if (environment.production && settings.AUTH_ISSUER === DEV_TOKEN_ISSUER) {
    throw new Error(`AUTH_ISSUER must name the identity provider in production, not the development issuer ${DEV_TOKEN_ISSUER} (scripts/auth.ts tokens are never trusted there)`);
  }
  if (settings.AUTH_JWKS_URL !== undefined) return createTokenVerifier({ ...common, jwksUrl: settings.AUTH_JWKS_URL });
  if (settings.AUTH_JWKS_FILE === undefined && environment.production) {
    throw new Error('AUTH_JWKS_URL or AUTH_JWKS_FILE is required in production (the keys that sign access tokens): the development keys are never trusted there');
  }
  const jwksFile = settings.AUTH_JWKS_FILE ?? devJwksFile();
  if (!existsSync(jwksFile)) {
    throw new Error(
      `no JWKS at ${jwksFile}: set AUTH_JWKS_URL or AUTH_JWKS_FILE to the keys that sign access tokens ` +
        '(on a developer machine: `node -r @swc-node/register scripts/auth.ts keys`, which scripts/infra.sh up runs)',
    );
  }
  return createTokenVerifier({ ...common, jwksFile });
}
