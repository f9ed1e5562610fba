import { loadSync } from '@grpc/proto-loader';
import { GRPC_CONTRACTS, PROTO_ROOT, SERVICE_NAMES } from '@projectflo/contracts';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, RPC_PERMISSIONS, SERVICE_GRANTS, isPublicMethod } from '@projectflo/platform/auth';

/** Every RPC path (`/pkg.Service/Method`) the five services serve, read from their .proto files. */
function servedRpcPaths(): string[] {
  return SERVICE_NAMES.flatMap((name) => {
    const contract = GRPC_CONTRACTS[name];
    const definition = loadSync(contract.protoFile, { includeDirs: [PROTO_ROOT] });
    const service = definition[contract.fullServiceName];
    if (service === undefined || 'format' in service) throw new Error(`${contract.fullServiceName} is not in ${contract.protoFile}`);
    return Object.values(service).map((method) => method.path);
  });
}

describe('the permission matrix covers every RPC (deny by default)', () => {
  const served = servedRpcPaths();

  it('finds the RPCs of crm and the task engine in the contracts', () => {
    expect(served).toContain('/projectflo.crm.v1.CrmService/GetLead');
    expect(served).toContain('/projectflo.tasks.v1.TaskEngineService/IngestExternalEvent');
  });

  it.each(served)('%s declares the permission it needs', (path) => {
    expect(isPublicMethod(path)).toBe(false);
    expect(RPC_PERMISSIONS.get(path)).toBeDefined();
  });

  it('names no RPC that the contracts do not serve', () => {
    expect([...RPC_PERMISSIONS.keys()].filter((path) => !served.includes(path))).toEqual([]);
  });

  it('declares every permission it grants and requires (no permission that nothing can use)', () => {
    const required = new Set(RPC_PERMISSIONS.values());
    const granted = new Set([...Object.values(ROLE_PERMISSIONS), ...Object.values(SERVICE_GRANTS)].flatMap((set) => [...set]));
    for (const permission of [...required, ...granted]) expect(PERMISSIONS).toContain(permission);
    // operations.decode-payloads guards the Temporal codec endpoint, not an RPC.
    expect(PERMISSIONS.filter((p) => !required.has(p))).toEqual(['operations.decode-payloads']);
  });

  it('nests the roles: owner ⊇ admin ⊇ manager ⊇ member ⊇ contributor ⊇ client, each holding something the next does not', () => {
    for (let i = 0; i + 1 < ROLES.length; i += 1) {
      const [higher, lower] = [ROLE_PERMISSIONS[ROLES[i]!], ROLE_PERMISSIONS[ROLES[i + 1]!]];
      expect([...lower].filter((p) => !higher.has(p))).toEqual([]);
      expect(higher.size).toBeGreaterThan(lower.size);
    }
  });

  it('lets only the owner register an organization and only admins manage users', () => {
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].has('organization.register'))).toEqual(['owner']);
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].has('organization.manage-users'))).toEqual(['owner', 'admin']);
  });
});
