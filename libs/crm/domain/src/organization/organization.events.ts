import type { DomainEvent } from '@projectflo/platform/core';

/** A user's role in the organization (the tenant); platform/auth's `Role` spells the same roles in lower case. */
export const UserRoles = ['Owner', 'Admin', 'Manager', 'Member', 'Contributor', 'Client'] as const;
export type UserRole = (typeof UserRoles)[number];

export const OrganizationEventType = {
  OrganizationRegistered: 'OrganizationRegistered',
  OrganizationTimezoneChanged: 'OrganizationTimezoneChanged',
  UserAdded: 'UserAdded',
  UserTimezoneChanged: 'UserTimezoneChanged',
  UserDeactivated: 'UserDeactivated',
  UserRoleChanged: 'UserRoleChanged',
  UserReactivated: 'UserReactivated',
} as const;

export type OrganizationRegistered = DomainEvent<
  'OrganizationRegistered',
  {
    readonly organizationId: string;
    readonly name: string;
    /** Canonical IANA zone; the tenant's business calendar runs in it. */
    readonly timezone: string;
    readonly registeredAt: string;
    readonly registeredBy: string;
  }
>;

export type OrganizationTimezoneChanged = DomainEvent<
  'OrganizationTimezoneChanged',
  {
    readonly organizationId: string;
    readonly previousTimezone: string;
    readonly timezone: string;
    readonly changedAt: string;
    readonly changedBy: string;
  }
>;

export type UserAdded = DomainEvent<
  'UserAdded',
  {
    readonly organizationId: string;
    readonly userId: string;
    readonly name: string;
    /** Lower-cased. */
    readonly email: string;
    readonly timezone: string;
    readonly role: UserRole;
    readonly addedAt: string;
    readonly addedBy: string;
  }
>;

export type UserTimezoneChanged = DomainEvent<
  'UserTimezoneChanged',
  {
    readonly organizationId: string;
    readonly userId: string;
    readonly previousTimezone: string;
    readonly timezone: string;
    readonly changedAt: string;
    readonly changedBy: string;
  }
>;

export type UserDeactivated = DomainEvent<
  'UserDeactivated',
  {
    readonly organizationId: string;
    readonly userId: string;
    readonly reason: string;
    readonly deactivatedAt: string;
    readonly deactivatedBy: string;
  }
>;

export type UserRoleChanged = DomainEvent<
  'UserRoleChanged',
  {
    readonly organizationId: string;
    readonly userId: string;
    readonly previousRole: UserRole;
    readonly role: UserRole;
    readonly changedAt: string;
    readonly changedBy: string;
  }
>;

export type UserReactivated = DomainEvent<
  'UserReactivated',
  {
    readonly organizationId: string;
    readonly userId: string;
    readonly reactivatedAt: string;
    readonly reactivatedBy: string;
  }
>;

export type OrganizationEvent =
  | OrganizationRegistered
  | OrganizationTimezoneChanged
  | UserAdded
  | UserTimezoneChanged
  | UserDeactivated
  | UserRoleChanged
  | UserReactivated;
