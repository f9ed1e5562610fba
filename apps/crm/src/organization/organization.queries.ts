import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { crmV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import type { RequestContext } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { OrganizationSchema, UserSchema } from './organization.entities';
import { organizationToProto, userToProto } from './organization.mapping';

@Injectable()
export class OrganizationQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  getOrganization(ctx: RequestContext): Promise<crmV1.GetOrganizationResponse> {
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const organization = await em.findOne(OrganizationSchema, { tenantId: ctx.tenantId });
      if (!organization) throw DomainError.notFound('organization', ctx.tenantId);
      const users = await em.find(UserSchema, { tenantId: ctx.tenantId }, { orderBy: { addedAt: 'asc', userId: 'asc' } });
      return {
        organization: organizationToProto(organization),
        users: users.map(userToProto),
      };
    });
  }
}
