import { crmV1 } from '@projectflo/contracts';
import type { ContactType } from '@projectflo/crm/domain';
import { enumMapping } from '@projectflo/platform/grpc';
import { int64, timestamp } from '../shared/crm-grpc.mapping';
import type { ContactRow } from './contact.entities';

export const contactType = enumMapping<crmV1.ContactType, ContactType>(crmV1.ContactType, {
  CONTACT_TYPE_CLIENT_LEAD: 'ClientLead',
  CONTACT_TYPE_CLIENT: 'Client',
  CONTACT_TYPE_CONTRIBUTOR: 'Contributor',
  CONTACT_TYPE_VENDOR: 'Vendor',
});

export function contactToProto(row: ContactRow): crmV1.Contact {
  return {
    contactId: row.contactId,
    type: contactType.toProto(row.type),
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone ?? '',
    company: row.company ?? '',
    archived: row.archived,
    createdAt: timestamp(row.createdAt),
    version: int64(row.version),
  };
}
