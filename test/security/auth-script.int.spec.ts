import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Principal, tokenVerifierFromSettings } from '@projectflo/platform/auth';
import { systemClock } from '@projectflo/platform/core';

// The key procedure docs/SECURITY.md describes, as an operator runs it: scripts/auth.ts makes the
// development keys, mints tokens that a service's verifier accepts, rotates to a new key while
// the old one's tokens still pass, and retires the old key, after which its tokens are refused.
// The verifier is the services' own, kept across the steps (a running service is not restarted).

const ROOT = join(__dirname, '..', '..');
const TENANT = '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';

describe('scripts/auth.ts: development keys, tokens and rotation', () => {
  const state = mkdtempSync(join(tmpdir(), 'auth-script-'));
  const jwksFile = join(state, 'auth', 'jwks.json');
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  const auth = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', 'scripts/auth.ts', ...args],
        { cwd: ROOT, env: { ...process.env, PROJECTFLO_STATE: state, SWC_NODE_PROJECT: 'tsconfig.base.json', AUTH_ISSUER: 'projectflo-dev', AUTH_AUDIENCE: 'projectflo' }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: stdout.trim(), stderr }),
      );
    });
  const token = async () => (await auth('token', '--tenant', TENANT, '--user', 'avery', '--role', 'owner', '--ttl', '10m')).stdout;
  const kids = () => (JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  let verify: (token: string) => Promise<Principal>;

  it('makes a key pair once: the private keys readable by their owner only, the JWKS public', async () => {
    expect((await auth('keys')).code).toBe(0);
    expect((await auth('keys', '--if-missing')).code).toBe(0);
    expect((await auth('keys')).code).toBe(1);
    expect(statSync(join(state, 'auth', 'signing-keys.json')).mode & 0o777).toBe(0o600);
    expect(kids()).toHaveLength(1);
    expect(readFileSync(jwksFile, 'utf8')).not.toContain('"d"');
    const verifier = tokenVerifierFromSettings({ AUTH_JWKS_FILE: jwksFile, AUTH_ISSUER: 'projectflo-dev', AUTH_AUDIENCE: 'projectflo' }, systemClock, { production: false });
    verify = (t) => verifier.verify(t);
  });

  it('mints user tokens a service accepts, and service tokens without roles', async () => {
    await expect(verify(await token())).resolves.toMatchObject({ tenantId: TENANT, userId: 'avery', roles: ['owner'], kind: 'user' });
    const service = (await auth('service-token', '--service', 'scheduling', '--tenant', TENANT)).stdout;
    await expect(verify(service)).resolves.toMatchObject({ userId: 'service:scheduling', roles: [], kind: 'service' });
    const refused = await auth('token', '--tenant', TENANT, '--user', 'avery', '--role', 'superuser');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--role must be one of');
  });

  it('rotates without a restart: the old key still verifies until it is retired, then its tokens are refused', async () => {
    const [oldKid] = kids();
    const oldToken = await token();
    expect((await auth('rotate')).code).toBe(0);
    expect(kids()).toHaveLength(2);
    const newToken = await token();
    await expect(verify(newToken)).resolves.toMatchObject({ userId: 'avery' });
    await expect(verify(oldToken)).resolves.toMatchObject({ userId: 'avery' });
    const [newKid] = kids().filter((kid) => kid !== oldKid);
    expect((await auth('retire', newKid!)).code).toBe(1); // the active key cannot be retired
    expect((await auth('retire', oldKid!)).code).toBe(0);
    await expect(verify(oldToken)).rejects.toThrow(/unknown key/);
    await expect(verify(newToken)).resolves.toMatchObject({ userId: 'avery' });
  });
});
