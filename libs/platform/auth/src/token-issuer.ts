import { createPrivateKey, generateKeyPairSync, type JsonWebKey, randomUUID, sign } from 'node:crypto';
import type { JWK } from 'jose';
import type { Role } from './roles';
import { SERVICE_SUBJECT_PREFIX, TOKEN_CLAIMS } from './token-verifier';

/*
 * Minting tokens, for development (scripts/auth.ts) and tests (TestIssuer). In production the
 * identity provider signs the tokens; the services only verify them (token-verifier.ts, jose).
 * Signing is synchronous (node:crypto), so test callers can build their headers inline.
 */

/** The algorithm of the keys ProjectFlo generates: ECDSA P-256 with SHA-256. */
export const SIGNING_ALGORITHM = 'ES256';

/** A signing key pair as JWKs: the private half signs, the public half goes into the JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export function generateSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const common = { kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return {
    kid,
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), ...common },
    publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), ...common },
  };
}

/** What a token says. */
export interface TokenClaims {
  readonly issuer: string;
  readonly audience: string;
  readonly tenantId: string;
  /** crm's user id, or a service's identity (see serviceSubject). */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Issue time (exp and nbf count from it). */
  readonly issuedAt: Date;
  readonly ttlSeconds: number;
  /** Seconds after issuedAt before which the token is not valid (default: valid at once). */
  readonly notBeforeSeconds?: number;
}

/** The subject of a service's own identity, e.g. `service:task-engine`. */
export function serviceSubject(service: string): string {
  return `${SERVICE_SUBJECT_PREFIX}${service}`;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT (JWS compact, ES256) with the claims, signed by the key, its kid in the header. */
export function signToken(key: Pick<SigningKey, 'kid' | 'privateJwk'>, claims: TokenClaims): string {
  const iat = Math.floor(claims.issuedAt.getTime() / 1000);
  const header = { alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' };
  const payload = {
    iss: claims.issuer,
    aud: claims.audience,
    sub: claims.subject,
    [TOKEN_CLAIMS.tenant]: claims.tenantId,
    [TOKEN_CLAIMS.roles]: [...claims.roles],
    iat,
    exp: iat + claims.ttlSeconds,
    ...(claims.notBeforeSeconds !== undefined ? { nbf: iat + claims.notBeforeSeconds } : {}),
    jti: randomUUID(),
  };
  const input = `${base64url(header)}.${base64url(payload)}`;
  const privateKey = createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
