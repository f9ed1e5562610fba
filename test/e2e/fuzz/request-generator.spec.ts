import { decodeJwt } from 'jose';
import { IdPool } from './id-pool';
import { fieldPaths, type FuzzRequest, RequestGenerator } from './request-generator';
import { loadRpcCatalog } from './rpc-catalog';

const rpcs = loadRpcCatalog();
const tenants = [
  { tenantId: '3f1c2a9e-0000-4000-8000-000000000001', ownerId: 'owner-1' },
  { tenantId: '3f1c2a9e-0000-4000-8000-000000000002', ownerId: 'owner-2' },
];
const now = new Date('2026-11-30T12:00:00Z');
const generator = (seed: number, pool = new IdPool()) => new RequestGenerator({ seed, rpcs, tenants, pool, now });
/** What a bearer token says (unverified: the services verify). */
const claimsOf = (authorization: string) => decodeJwt(authorization.replace(/^Bearer /, ''));
const sample = (g: RequestGenerator, n: number): FuzzRequest[] => Array.from({ length: n }, (_, seq) => g.generate(seq));

describe('the fuzz request generator', () => {
  it('reads every RPC from the contracts', () => {
    expect(new Set(rpcs.map((r) => r.service))).toEqual(new Set(['crm', 'task-engine', 'scheduling', 'notifications', 'build-ledger']));
    expect(rpcs.map((r) => r.path)).toContain('/projectflo.ledger.v1.BuildLedgerService/ProposeChangeOrder');
    expect(rpcs.map((r) => r.path)).toContain('/projectflo.tasks.v1.TaskEngineService/RescheduleTask');
    expect(rpcs.find((r) => r.method === 'GetLead')?.command).toBe(false);
    expect(rpcs.find((r) => r.method === 'CaptureLead')?.command).toBe(true);
  });

  it('makes the same request from the same seed and position, whatever came before', () => {
    const a = generator(42);
    const b = generator(42);
    sample(a, 30);
    for (const seq of [30, 7, 1234]) {
      const [x, y] = [a.generate(seq), b.generate(seq)];
      expect({ rpc: y.rpc.path, mode: y.mode, label: y.label, body: y.body.toString('hex') }).toEqual({
        rpc: x.rpc.path,
        mode: x.mode,
        label: x.label,
        body: x.body.toString('hex'),
      });
    }
    expect(generator(43).generate(30).body.toString('hex')).not.toBe(generator(42).generate(30).body.toString('hex'));
  });

  it('reaches every RPC in every mode within a campaign', () => {
    const requests = sample(generator(1), 3000);
    expect(new Set(requests.map((r) => r.rpc.path))).toEqual(new Set(rpcs.map((r) => r.path)));
    expect(new Set(requests.map((r) => r.mode))).toEqual(new Set(['valid', 'edge', 'chaos', 'raw', 'metadata']));
  });

  it('labels each hostile value with a field path of the request', () => {
    const edges = sample(generator(2), 2000).filter((r) => r.mode === 'edge' && r.label !== '');
    expect(edges.length).toBeGreaterThan(100);
    for (const r of edges) {
      const paths = new Set(fieldPaths(r.rpc.requestType));
      for (const part of r.label.split(/ (?=[\w.[\]{}]+=)/)) {
        const path = part.split('=')[0]!.replace(/\{\}$/, '').replace(/\[\]$/, '');
        expect(paths.has(path) || paths.has(`${path}[]`)).toBe(true);
      }
    }
  });

  it("sends well-formed messages except in raw mode, and the tenant owner's token except in metadata mode", () => {
    for (const r of sample(generator(3), 1000)) {
      if (r.mode !== 'raw') expect(() => r.rpc.requestType.decode(r.body)).not.toThrow();
      if (r.mode === 'metadata') continue;
      const authorization = r.headers.filter(([k]) => k === 'authorization').map(([, v]) => v);
      expect(authorization).toHaveLength(1);
      expect(claimsOf(authorization[0]!)).toMatchObject({ tenant_id: tenants[r.tenant!]!.tenantId, sub: tenants[r.tenant!]!.ownerId, roles: ['owner'] });
    }
  });

  it('mutates the authorization header in metadata mode: missing, garbage, expired, forged, another tenant', () => {
    const labels = new Set(sample(generator(5), 3000).filter((r) => r.mode === 'metadata').map((r) => r.label));
    for (const label of ['metadata:no authorization', 'metadata:token garbage', 'metadata:token expired', 'metadata:token forged', 'metadata:token of another tenant']) {
      expect(labels).toContain(label);
    }
  });

  it('uses ids from the answers a tenant got', () => {
    const pool = new IdPool();
    pool.harvest(0, { lead: { leadId: 'lead-of-tenant-0', statusId: 'status-0' } });
    const valid = sample(generator(4, pool), 3000).filter((r) => r.mode === 'valid' && r.tenant === 0 && r.rpc.method === 'GetLead');
    expect(valid.length).toBeGreaterThan(0);
    expect(valid.some((r) => (r.message as { leadId?: string }).leadId === 'lead-of-tenant-0')).toBe(true);
  });
});
