import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Role } from './roles';
import { SERVICE_SUBJECT_PREFIX, TOKEN_CLAIMS } from './token-verifier';

/*
 * Minting tokens, for development (scripts/auth.ts) and tests (TestIssuer). In production the
 * identity provider signs the tokens; the services only verify them (token-verifier.ts).
 */

/** The algorithm of the keys ProjectFlo generates. */
export const SIGNING_ALGORITHM = 'ES256';

/** A signing key pair as JWKs: the private half signs, the public half goes into the JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export async function generateSigningKey(kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const common = { kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), ...common }, publicJwk: { ...(await exportJWK(publicKey)), ...common } };
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

/** A JWT with the claims, signed by the key (its kid in the header). */
export async function signToken(key: Pick<SigningKey, 'kid' | 'privateJwk'>, claims: TokenClaims): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, SIGNING_ALGORITHM);
  const issuedAt = Math.floor(claims.issuedAt.getTime() / 1000);
  const jwt = new SignJWT({ [TOKEN_CLAIMS.tenant]: claims.tenantId, [TOKEN_CLAIMS.roles]: [...claims.roles] })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + claims.ttlSeconds)
    .setJti(randomUUID());
  if (claims.notBeforeSeconds !== undefined) jwt.setNotBefore(issuedAt + claims.notBeforeSeconds);
  return jwt.sign(privateKey);
}
