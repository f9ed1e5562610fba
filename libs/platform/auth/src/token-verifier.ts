import { readFile, stat } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWTHeaderParameters,
  type JWTPayload,
  jwtVerify,
  type FlattenedJWSInput,
  type KeyLike,
} from 'jose';
import { type Clock, DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { isRole, type Role } from './roles';

/**
 * The claims of a ProjectFlo access token (a JWT signed by the identity provider, or by
 * `scripts/auth.ts` in development):
 * - `iss`, `aud`, `exp` (required), `nbf` (optional);
 * - `sub`: the user id in crm, or `service:<name>` for a service's own identity;
 * - `tenant_id`: the tenant the token acts for, a lower-case UUID;
 * - `roles`: the caller's roles in that tenant (users); a service's token carries none.
 */
export const TOKEN_CLAIMS = { tenant: 'tenant_id', roles: 'roles' } as const;

/** The `sub` of a service's own identity: `service:task-engine`. */
export const SERVICE_SUBJECT_PREFIX = 'service:';

/** The signature algorithms a token may use (never `none`, never a symmetric one). */
export const TOKEN_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const;

/** How far a token's exp/nbf may be off the verifier's clock. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * The longest lifetime (exp - iat) of an accepted token: a bearer token cannot be revoked one by
 * one, so its lifetime is the window in which a stolen one works.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** The tenant id format of every call (common.proto): a UUID in lower case, e.g. 5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b. */
export const TENANT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An id a call carries (user, service, request, correlation): 1-128 characters of letters, digits and . _ : @ - */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Who a verified token says is calling. */
export interface Principal {
  readonly tenantId: string;
  /** crm's user id, or `service:<name>` for a service. */
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly kind: 'user' | 'service';
  readonly expiresAt: Date;
}

export interface TokenVerifierOptions {
  /** A JWKS file of the public keys; re-read when it changes or a token names an unknown key. */
  readonly jwksFile?: string;
  /** A JWKS URL (the identity provider's); fetched, cached and refreshed by jose. */
  readonly jwksUrl?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly clock: Clock;
}

export interface TokenVerifier {
  /** The principal of a valid token; any failure is UNAUTHENTICATED (the reason never quotes the token). */
  verify(token: string): Promise<Principal>;
}

type KeyResolver = (header: JWTHeaderParameters, token: FlattenedJWSInput) => Promise<KeyLike | Uint8Array>;

export function unauthenticated(reason: string): DomainError {
  return new DomainError(DomainErrorCode.Unauthenticated, `unauthenticated: ${reason}`, [], { reason });
}

/**
 * The keys of a JWKS file. The file is re-read when its modification time changes (a key added
 * or retired) and when a token names a key id it does not hold (a key just added), so rotating
 * keys needs no restart.
 */
function fileKeys(path: string): KeyResolver {
  let loaded: { readonly version: string; readonly resolve: ReturnType<typeof createLocalJWKSet> } | undefined;
  const version = async () => {
    const info = await stat(path, { bigint: true });
    return `${info.mtimeNs}:${info.size}:${info.ino}`;
  };
  const load = async () => {
    const current = await version();
    if (loaded?.version !== current) {
      const jwks = JSON.parse(await readFile(path, 'utf8')) as JSONWebKeySet;
      loaded = { version: current, resolve: createLocalJWKSet(jwks) };
    }
    return loaded.resolve;
  };
  return async (header, token) => {
    const resolve = await load();
    try {
      return await resolve(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      loaded = undefined; // an unknown kid: the file may have just gained it
      return (await load())(header, token);
    }
  };
}

/** Why a token was refused, in words that never include the token. */
function reasonOf(error: unknown): string {
  if (error instanceof DomainError) return String(error.details['reason'] ?? error.message);
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason === 'missing' ? 'is missing' : 'is not accepted'}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token is signed by an unknown key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the signature algorithm is not accepted';
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid) return 'the token is malformed';
  if (error instanceof joseErrors.JOSEError) return `the token is not accepted (${error.code})`;
  return 'the token could not be verified';
}

function principalOf(payload: JWTPayload): Principal {
  if (payload.exp! - payload.iat! > MAX_TOKEN_LIFETIME_SECONDS) {
    throw unauthenticated(`the token lives longer than ${MAX_TOKEN_LIFETIME_SECONDS / 3600} h (exp - iat)`);
  }
  const sub = payload.sub ?? '';
  if (!ID_PATTERN.test(sub)) throw unauthenticated('claim sub must be 1-128 characters of letters, digits and . _ : @ -');
  const kind = sub.startsWith(SERVICE_SUBJECT_PREFIX) ? 'service' : 'user';
  if (kind === 'service' && !SERVICE_NAME.test(sub.slice(SERVICE_SUBJECT_PREFIX.length))) {
    throw unauthenticated('claim sub names no valid service');
  }
  const tenantId = payload[TOKEN_CLAIMS.tenant];
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
    throw unauthenticated(`claim ${TOKEN_CLAIMS.tenant} must be a lower-case UUID`);
  }
  const roles = payload[TOKEN_CLAIMS.roles] ?? [];
  if (!Array.isArray(roles) || !roles.every((role): role is Role => typeof role === 'string' && isRole(role))) {
    throw unauthenticated(`claim ${TOKEN_CLAIMS.roles} must list known roles`);
  }
  if (kind === 'service' && roles.length > 0) throw unauthenticated('a service token carries no roles');
  return { tenantId, userId: sub, roles: [...new Set(roles)], kind, expiresAt: new Date(payload.exp! * 1000) };
}

/** Verifies access tokens against a JWKS file or URL, with the issuer, audience and clock given. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  if ((options.jwksFile === undefined) === (options.jwksUrl === undefined)) {
    throw new Error('createTokenVerifier needs exactly one of jwksFile and jwksUrl');
  }
  const keys: KeyResolver = options.jwksFile !== undefined ? fileKeys(options.jwksFile) : createRemoteJWKSet(new URL(options.jwksUrl!));
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...TOKEN_ALGORITHMS],
          requiredClaims: ['iss', 'aud', 'exp', 'sub', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: options.clock.now(),
        });
        return principalOf(payload);
      } catch (error) {
        throw unauthenticated(reasonOf(error));
      }
    },
  };
}
