/**
 * Development keys and access tokens. The services verify tokens against a JWKS (AUTH_JWKS_FILE,
 * by default `<PROJECTFLO_STATE or .infra>/auth/jwks.json`, which this script writes); the private
 * keys stay in `signing-keys.json` (mode 600) beside it. In production an identity provider signs
 * the tokens and AUTH_JWKS_URL points at its keys; this script is for developer machines and CI.
 *
 *   node -r @swc-node/register scripts/auth.ts keys [--if-missing]   first key pair
 *   node -r @swc-node/register scripts/auth.ts rotate                 a new active key; the old public key stays trusted
 *   node -r @swc-node/register scripts/auth.ts retire <kid>           stop trusting a key (tokens it signed are refused)
 *   node -r @swc-node/register scripts/auth.ts token --tenant T --user U --role R [--ttl 1h]
 *   node -r @swc-node/register scripts/auth.ts service-token --service task-engine --tenant T [--ttl 1h]
 *
 * Tokens carry AUTH_ISSUER and AUTH_AUDIENCE (the same defaults as the services).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { devAuthDir, generateSigningKey, isRole, MAX_TOKEN_LIFETIME_SECONDS, ROLES, serviceSubject, signToken, type SigningKey, type TokenClaims } from '@projectflo/platform/auth';
import { baseConfigSchema } from '@projectflo/platform/config';

interface SigningKeys {
  /** The kid new tokens are signed with. */
  readonly active: string;
  readonly keys: readonly { readonly kid: string; readonly privateJwk: JWK }[];
}

const dir = devAuthDir();
const SIGNING_KEYS_FILE = join(dir, 'signing-keys.json');
const JWKS_FILE = join(dir, 'jwks.json');

/** Writes a whole file at once (a reader never sees half of it), with the given mode. */
function writeAtomically(file: string, content: unknown, mode: number): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}

function readSigningKeys(): SigningKeys {
  if (!existsSync(SIGNING_KEYS_FILE)) throw new Error(`no signing keys at ${SIGNING_KEYS_FILE}: run \`scripts/auth.ts keys\` first`);
  return JSON.parse(readFileSync(SIGNING_KEYS_FILE, 'utf8')) as SigningKeys;
}

function readJwks(): { keys: JWK[] } {
  return existsSync(JWKS_FILE) ? (JSON.parse(readFileSync(JWKS_FILE, 'utf8')) as { keys: JWK[] }) : { keys: [] };
}

/** The JWKS first (so a token of the new key is verifiable the moment it can be signed), then the private key. */
function install(key: SigningKey, keepPublic: readonly JWK[]): void {
  writeAtomically(JWKS_FILE, { keys: [...keepPublic, key.publicJwk] }, 0o644);
  writeAtomically(SIGNING_KEYS_FILE, { active: key.kid, keys: [{ kid: key.kid, privateJwk: key.privateJwk }] } satisfies SigningKeys, 0o600);
}

function keys(ifMissing: boolean): void {
  if (existsSync(SIGNING_KEYS_FILE)) {
    if (ifMissing) return;
    throw new Error(`${SIGNING_KEYS_FILE} exists: use \`rotate\` for a new key`);
  }
  const key = generateSigningKey();
  install(key, []);
  console.log(`auth: new signing key ${key.kid}; services trust ${JWKS_FILE}`);
}

function rotate(): void {
  const previous = readSigningKeys().active;
  const key = generateSigningKey();
  install(key, readJwks().keys);
  console.log(`auth: signing with ${key.kid} now; ${previous} is still trusted until \`retire ${previous}\` (after its tokens expired)`);
}

function retire(kid: string): void {
  if (readSigningKeys().active === kid) throw new Error(`${kid} is the active signing key: rotate first`);
  const jwks = readJwks();
  if (!jwks.keys.some((key) => key.kid === kid)) throw new Error(`${kid} is not in ${JWKS_FILE}`);
  writeAtomically(JWKS_FILE, { keys: jwks.keys.filter((key) => key.kid !== kid) }, 0o644);
  console.log(`auth: ${kid} retired; tokens it signed are refused from now on`);
}

const TTL = /^(\d+)([smhd])$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

function ttlSeconds(text: string): number {
  const match = TTL.exec(text);
  if (match === null) throw new Error(`--ttl must look like 90s, 30m or 1h, got ${text}`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (seconds > MAX_TOKEN_LIFETIME_SECONDS) throw new Error(`--ttl must be at most ${MAX_TOKEN_LIFETIME_SECONDS / 3600}h (services refuse longer-lived tokens), got ${text}`);
  return seconds;
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw new Error(`--${option} is required`);
  return value;
}

/** A token signed with the active key, carrying the issuer and audience the services expect. */
function mint(claims: Pick<TokenClaims, 'tenantId' | 'subject' | 'roles'>, ttl: string): string {
  const signing = readSigningKeys();
  const key = signing.keys.find((candidate) => candidate.kid === signing.active);
  if (key === undefined) throw new Error(`the active key ${signing.active} is missing from ${SIGNING_KEYS_FILE}`);
  const settings = baseConfigSchema.pick({ AUTH_ISSUER: true, AUTH_AUDIENCE: true }).parse(process.env);
  return signToken(key, { ...claims, issuer: settings.AUTH_ISSUER, audience: settings.AUTH_AUDIENCE, issuedAt: new Date(), ttlSeconds: ttlSeconds(ttl) });
}

function main(argv: readonly string[]): void {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'if-missing': { type: 'boolean', default: false },
      tenant: { type: 'string' },
      user: { type: 'string' },
      role: { type: 'string', multiple: true },
      service: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  const [command, argument] = positionals;
  switch (command) {
    case 'keys':
      return keys(values['if-missing']);
    case 'rotate':
      return rotate();
    case 'retire':
      return retire(required(argument, 'kid (positional)'));
    case 'token': {
      const roles = values.role ?? [];
      const unknown = roles.filter((role) => !isRole(role));
      if (roles.length === 0 || unknown.length > 0) throw new Error(`--role must be one of ${ROLES.join(', ')} (repeatable)`);
      const token = mint({ tenantId: required(values.tenant, 'tenant'), subject: required(values.user, 'user'), roles: roles.filter(isRole) }, values.ttl);
      return void console.log(token);
    }
    case 'service-token':
      return void console.log(mint({ tenantId: required(values.tenant, 'tenant'), subject: serviceSubject(required(values.service, 'service')), roles: [] }, values.ttl));
    default:
      throw new Error('usage: scripts/auth.ts keys [--if-missing] | rotate | retire <kid> | token --tenant T --user U --role R [--ttl 1h] | service-token --service S --tenant T [--ttl 1h]');
  }
}

/** For scripts (seed-demo.ts): a token of the development keys. */
export function devToken(tenantId: string, userId: string, roles: TokenClaims['roles'], ttl = '1h'): string {
  return mint({ tenantId, subject: userId, roles }, ttl);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`auth: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
