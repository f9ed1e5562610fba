import type { UserRole } from '@projectflo/crm/domain';
import { crmV1 } from '@projectflo/contracts';

export const userRoles: Readonly<Record<string, UserRole>> = {
  [crmV1.UserRole.USER_ROLE_OWNER]: 'Owner',
  [crmV1.UserRole.USER_ROLE_ADMIN]: 'Admin',
  [crmV1.UserRole.USER_ROLE_MEMBER]: 'Member',
};
