import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { type Role, roleNamed, type TenantMember, type UserDirectory } from '@projectflo/platform/auth';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';

/** The platform role of a role crm's contract names (the same roles, spelled `Owner`). */
export function tenantRole(role: crmOrganizationEventsV1.UserRoleV1): Role {
  const named = roleNamed(role);
  if (!named) throw new Error(`crm role ${role} is no platform role`);
  return named;
}

/**
 * The task-engine's users as crm's organization events told it (`tenant_members`, kept by the
 * user-directory consumer): what the gRPC gate asks on every call. It lags crm by the time an
 * event takes to reach the consumer, so a user crm just added is unknown here for that long, and
 * one crm just deactivated is still active. Read under the tenant's row-level security.
 */
@Injectable()
export class TaskEngineUserDirectory implements UserDirectory {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  member(tenantId: string, userId: string): Promise<TenantMember | undefined> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const [row] = await tx.query<{ role: string; active: boolean }>(
        'SELECT role, active FROM tenant_members WHERE tenant_id = $1 AND user_id = $2',
        [tenantId, userId],
      );
      const role = row && roleNamed(row.role);
      return row && role ? { tenantId, userId, role, active: row.active } : undefined;
    });
  }
}
