import type { ContactType } from '@projectflo/crm/domain';
import { crmV1 } from '@projectflo/contracts';
import { enumToProto, int64, timestamp } from '../shared/crm-grpc.mapping';
import type { ContactRow } from './contact.entities';

export const contactTypes: Readonly<Record<string, ContactType>> = {
  [crmV1.ContactType.CONTACT_TYPE_CLIENT_LEAD]: 'ClientLead',
  [crmV1.ContactType.CONTACT_TYPE_CLIENT]: 'Client',
  [crmV1.ContactType.CONTACT_TYPE_CONTRIBUTOR]: 'Contributor',
  [crmV1.ContactType.CONTACT_TYPE_VENDOR]: 'Vendor',
};

/** Where the domain's field names differ from CreateContactRequest's. */
export const contactFieldNames = { company_name: 'company' } as const;

export function contactToProto(row: ContactRow): crmV1.Contact {
  return {
    contactId: row.contactId,
    type: enumToProto(contactTypes, row.type, crmV1.ContactType.CONTACT_TYPE_UNSPECIFIED),
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
