import { Injectable } from '@nestjs/common';
import type { crmV1 } from '@projectflo/contracts';
import { contactDecider, contactEmailDecider, streamName, TextLimits } from '@projectflo/crm/domain';
import { DomainError, deriveId } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, text, uuid, validate } from '@projectflo/platform/grpc';
import { CommandExecutor, commandOn } from '@projectflo/platform/service';
import { z } from 'zod';
import { emailField } from '../shared/crm-grpc.mapping';
import { contactToProto, contactType } from './contact.mapping';
import type { ContactRow } from './contact.entities';
import { evolveContactRow } from './contact.view';

const createRequest = z.object({
  type: contactType.required,
  firstName: text(TextLimits.name, { required: true }),
  lastName: text(TextLimits.name),
  email: emailField,
  phone: text(TextLimits.phone),
  company: text(TextLimits.name),
});
const archiveRequest = z.object({ contactId: uuid, reason: text(TextLimits.reason), expectedVersion });

/**
 * Contacts, with email uniqueness per tenant through the contact-email reservation stream (the
 * protocol is documented in libs/crm/domain/src/contact/contact-email.decider.ts).
 */
@Injectable()
export class ContactCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async create(ctx: CommandContext, request: crmV1.CreateContactRequest): Promise<crmV1.CreateContactResponse> {
    const data = validate(createRequest, request);
    // Derived from the request id: a retried request reuses the id, its reservation and its stream.
    const contactId = deriveId('contact', ctx.tenantId, ctx.requestId);
    // The contact and its email reservation are appended together or not at all; the contact is
    // decided first, so every invalid field is reported before the address is looked at.
    const [contact] = await this.executor.runAtomically(
      [
        commandOn(contactDecider, streamName.contact(contactId), { type: 'CreateContact', data: { contactId, ...data } }, { view: evolveContactRow }),
        commandOn(contactEmailDecider, streamName.contactEmail(ctx.tenantId, request.email), {
          type: 'ReserveContactEmail',
          data: { email: request.email, contactId },
        }),
      ],
      { context: ctx },
    );
    return { contact: reply(contact.view, contactId) };
  }

  async archive(ctx: CommandContext, request: crmV1.ArchiveContactRequest): Promise<crmV1.ArchiveContactResponse> {
    const { contactId, reason, expectedVersion: version } = validate(archiveRequest, request);
    const { view } = await this.executor.run(
      contactDecider,
      streamName.contact(contactId),
      { type: 'ArchiveContact', data: { contactId, reason } },
      { context: ctx, expectedVersion: version, view: evolveContactRow },
    );
    return { contact: reply(view, contactId) };
  }
}

function reply(row: ContactRow | undefined, contactId: string): crmV1.Contact {
  if (!row) throw DomainError.notFound('contact', contactId);
  return contactToProto(row);
}
