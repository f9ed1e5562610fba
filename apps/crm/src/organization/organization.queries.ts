import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { crmV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import type { RequestContext } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { enumToProto, int64, timestamp } from '../shared/crm-grpc.mapping';
import { OrganizationSchema, UserSchema } from './organization.entities';
import { userRoles } from './organization.mapping';

@Injectable()
export class OrganizationQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  getOrganization(ctx: RequestContext): Promise<crmV1.GetOrganizationResponse> {
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const organization = await em.findOne(OrganizationSchema, { tenantId: ctx.tenantId });
      if (!organization) throw DomainError.notFound('organization', ctx.tenantId);
      const users = await em.find(UserSchema, { tenantId: ctx.tenantId }, { orderBy: { addedAt: 'asc', userId: 'asc' } });
      return {
        organization: {
          organizationId: organization.tenantId,
          name: organization.name,
          timezone: organization.timezone,
          registeredAt: timestamp(organization.registeredAt),
          version: int64(organization.version),
        },
        users: users.map((u) => ({
          userId: u.userId,
          name: u.name,
          email: u.email,
          timezone: u.timezone,
          role: enumToProto(userRoles, u.role, crmV1.UserRole.USER_ROLE_UNSPECIFIED),
          active: u.active,
          addedAt: timestamp(u.addedAt),
        })),
      };
    });
  }
}
