import { Injectable } from '@nestjs/common';
import { crmV1 } from '@projectflo/contracts';
import {
  contactDecider,
  contactEmailDecider,
  crmEventSchemaVersions,
  streamName,
  TextLimits,
  type CreateContact,
} from '@projectflo/crm/domain';
import { type Clock, DomainError, deriveId, onStream } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, InjectClock, protoEnum, text, toCommandMetadata, uuid, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { emailField, withProtoFieldNames } from '../shared/crm-grpc.mapping';
import { contactFieldNames, contactToProto, contactTypes } from './contact.mapping';
import { foldContactRow } from './contact.view';

const options = { aggregate: 'contact', schemaVersions: crmEventSchemaVersions } as const;
const createRequest = z.object({
  type: protoEnum(crmV1.ContactType, { required: true }),
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
  constructor(
    private readonly executor: CommandExecutor,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async create(ctx: CommandContext, request: crmV1.CreateContactRequest): Promise<crmV1.CreateContactResponse> {
    const valid = validate(createRequest, request);
    const metadata = toCommandMetadata(ctx, this.clock);
    // Derived from the request id: a retried request reuses the id, its reservation and its stream.
    const contactId = deriveId('contact', ctx.tenantId, ctx.requestId);
    const create: CreateContact = {
      type: 'CreateContact',
      data: {
        contactId,
        type: contactTypes[valid.type] ?? ('' as never),
        firstName: valid.firstName,
        lastName: valid.lastName,
        email: valid.email,
        phone: valid.phone,
        companyName: valid.company,
      },
      metadata,
    };
    await withProtoFieldNames(contactFieldNames, async () => {
      // Dry run (pure): invalid input fails with the proto's field names before anything is decided.
      contactDecider.decide(create, contactDecider.initialState());
    });
    // The reservation and the contact are appended together or not at all: a failure can no longer
    // leave an address reserved for a contact that does not exist.
    await this.executor.runAtomically([
      onStream(
        contactEmailDecider,
        streamName.contactEmail(ctx.tenantId, request.email),
        { type: 'ReserveContactEmail', data: { email: request.email, contactId }, metadata },
      ),
      onStream(contactDecider, streamName.contact(contactId), create),
    ]);
    return { contact: await this.current(contactId) };
  }

  async archive(ctx: CommandContext, request: crmV1.ArchiveContactRequest): Promise<crmV1.ArchiveContactResponse> {
    const { contactId, reason, expectedVersion: version } = validate(archiveRequest, request);
    await this.executor.execute(
      contactDecider,
      streamName.contact(contactId),
      { type: 'ArchiveContact', data: { contactId, reason }, metadata: toCommandMetadata(ctx, this.clock) },
      { ...options, expectedVersion: version },
    );
    return { contact: await this.current(contactId) };
  }

  private async current(contactId: string): Promise<crmV1.Contact> {
    const row = foldContactRow((await this.executor.store.readStream(streamName.contact(contactId))).events);
    if (!row) throw DomainError.notFound('contact', contactId);
    return contactToProto(row);
  }
}
