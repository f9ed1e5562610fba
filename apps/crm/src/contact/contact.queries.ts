import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { crmV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { idRequestSchema, type RequestContext, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { ContactSchema } from './contact.entities';
import { contactToProto } from './contact.mapping';

@Injectable()
export class ContactQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  getContact(ctx: RequestContext, request: crmV1.GetContactRequest): Promise<crmV1.GetContactResponse> {
    const { contactId } = validate(idRequestSchema('contactId'), request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const row = await em.findOne(ContactSchema, { contactId });
      if (!row) throw DomainError.notFound('contact', contactId);
      return { contact: contactToProto(row) };
    });
  }
}
