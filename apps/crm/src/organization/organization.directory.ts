import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { roleNamed, type TenantMember, type UserDirectory } from '@projectflo/platform/auth';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { UserSchema } from './organization.entities';

/**
 * crm's users as its organization read model holds them (crm is their source of truth): what the
 * gRPC gate asks on every call. Read under the tenant's row-level security, so a user of another
 * tenant is unknown here.
 */
@Injectable()
export class CrmUserDirectory implements UserDirectory {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  member(tenantId: string, userId: string): Promise<TenantMember | undefined> {
    return withTenantScope(this.orm, tenantId, async ({ em }) => {
      const user = await em.findOne(UserSchema, { tenantId, userId });
      const role = user && roleNamed(user.role);
      if (!user || !role) return undefined;
      return { tenantId, userId, role, active: user.active };
    });
  }
}
