import { EntitySchema } from '@mikro-orm/postgresql';

export interface ContactRow {
  contactId: string;
  tenantId: string;
  type: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  company: string | null;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Version of the contact stream. */
  version: number;
}

export const ContactSchema = new EntitySchema<ContactRow>({
  name: 'ContactRow',
  tableName: 'contacts',
  properties: {
    contactId: { type: 'string', primary: true, fieldName: 'contact_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    type: { type: 'string' },
    firstName: { type: 'string', fieldName: 'first_name' },
    lastName: { type: 'string', fieldName: 'last_name' },
    email: { type: 'string' },
    phone: { type: 'string', nullable: true },
    company: { type: 'string', nullable: true },
    archived: { type: 'boolean' },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
    version: { type: 'integer' },
  },
});
