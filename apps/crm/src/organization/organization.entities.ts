import { EntitySchema } from '@mikro-orm/postgresql';

export interface OrganizationRow {
  tenantId: string;
  name: string;
  timezone: string;
  registeredAt: Date;
  /** Version of the organization stream. */
  version: number;
}

export interface UserRow {
  userId: string;
  tenantId: string;
  name: string;
  email: string;
  timezone: string;
  role: string;
  active: boolean;
  addedAt: Date;
}

export const OrganizationSchema = new EntitySchema<OrganizationRow>({
  name: 'OrganizationRow',
  tableName: 'organizations',
  properties: {
    tenantId: { type: 'string', primary: true, fieldName: 'tenant_id' },
    name: { type: 'string' },
    timezone: { type: 'string' },
    registeredAt: { type: 'datetime', fieldName: 'registered_at' },
    version: { type: 'integer' },
  },
});

export const UserSchema = new EntitySchema<UserRow>({
  name: 'UserRow',
  tableName: 'users',
  properties: {
    // A user is a user of one tenant; the same person (user id) may belong to several.
    tenantId: { type: 'string', primary: true, fieldName: 'tenant_id' },
    userId: { type: 'string', primary: true, fieldName: 'user_id' },
    name: { type: 'string' },
    email: { type: 'string' },
    timezone: { type: 'string' },
    role: { type: 'string' },
    active: { type: 'boolean' },
    addedAt: { type: 'datetime', fieldName: 'added_at' },
  },
});
