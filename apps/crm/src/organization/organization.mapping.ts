import { crmV1 } from '@projectflo/contracts';
import type { UserRole } from '@projectflo/crm/domain';
import { enumMapping } from '@projectflo/platform/grpc';
import { int64, timestamp } from '../shared/crm-grpc.mapping';
import type { OrganizationRow, UserRow } from './organization.entities';

export const userRole = enumMapping<crmV1.UserRole, UserRole>(crmV1.UserRole, {
  USER_ROLE_OWNER: 'Owner',
  USER_ROLE_ADMIN: 'Admin',
  USER_ROLE_MANAGER: 'Manager',
  USER_ROLE_MEMBER: 'Member',
  USER_ROLE_CONTRIBUTOR: 'Contributor',
  USER_ROLE_CLIENT: 'Client',
});

export function organizationToProto(row: OrganizationRow): crmV1.Organization {
  return {
    organizationId: row.tenantId,
    name: row.name,
    timezone: row.timezone,
    registeredAt: timestamp(row.registeredAt),
    version: int64(row.version),
  };
}

export function userToProto(row: UserRow): crmV1.User {
  return {
    userId: row.userId,
    name: row.name,
    email: row.email,
    timezone: row.timezone,
    role: userRole.toProto(row.role),
    active: row.active,
    addedAt: timestamp(row.addedAt),
  };
}
