import type { Command } from '@projectflo/platform/core';
import type { UserRole } from './organization.events';

/**
 * The organization is the tenant: its id must be the command's tenant id. The caller (the
 * command's actor) becomes its first owner, under the owner's name and email.
 */
export type RegisterOrganization = Command<
  'RegisterOrganization',
  {
    readonly organizationId: string;
    readonly name: string;
    readonly timezone: string;
    readonly owner: { readonly name: string; readonly email: string };
  }
>;

export type ChangeOrganizationTimezone = Command<'ChangeOrganizationTimezone', { readonly timezone: string }>;

export type AddUser = Command<
  'AddUser',
  {
    readonly userId: string;
    readonly name: string;
    readonly email: string;
    /** Defaults to the organization's timezone when absent or empty. */
    readonly timezone?: string;
    readonly role: UserRole;
  }
>;

export type ChangeUserTimezone = Command<'ChangeUserTimezone', { readonly userId: string; readonly timezone: string }>;

export type DeactivateUser = Command<'DeactivateUser', { readonly userId: string; readonly reason?: string }>;

export type ChangeUserRole = Command<'ChangeUserRole', { readonly userId: string; readonly role: UserRole }>;

export type ReactivateUser = Command<'ReactivateUser', { readonly userId: string }>;

export type OrganizationCommand =
  | RegisterOrganization
  | ChangeOrganizationTimezone
  | AddUser
  | ChangeUserTimezone
  | DeactivateUser
  | ChangeUserRole
  | ReactivateUser;
