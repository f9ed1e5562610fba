import { z } from 'zod';
import { actor, instant, requiredText, text, timezone, uuid } from './payload-fields';

/*
 * Payload schemas of the events on `crm.organization.v1` (key: the organization id, which is the
 * tenant id): the organization and its users. Rules for change as in crm-lead.v1.ts.
 */

export const CRM_ORGANIZATION_TOPIC_V1 = 'crm.organization.v1';

const email = requiredText(254);

/** A user's role; platform/auth's `Role` spells the same roles in lower case. */
export const USER_ROLES_V1 = ['Owner', 'Admin', 'Manager', 'Member', 'Contributor', 'Client'] as const;
const role = z.enum(USER_ROLES_V1);

export const OrganizationRegisteredV1 = z.object({
  organizationId: uuid,
  name: requiredText(200),
  timezone,
  registeredAt: instant,
  registeredBy: actor,
});

export const OrganizationTimezoneChangedV1 = z.object({
  organizationId: uuid,
  previousTimezone: timezone,
  timezone,
  changedAt: instant,
  changedBy: actor,
});

export const UserAddedV1 = z.object({
  organizationId: uuid,
  userId: uuid,
  name: requiredText(200),
  email,
  timezone,
  role,
  addedAt: instant,
  addedBy: actor,
});

export const UserTimezoneChangedV1 = z.object({
  organizationId: uuid,
  userId: uuid,
  previousTimezone: timezone,
  timezone,
  changedAt: instant,
  changedBy: actor,
});

export const UserDeactivatedV1 = z.object({
  organizationId: uuid,
  userId: uuid,
  reason: text(1_000),
  deactivatedAt: instant,
  deactivatedBy: actor,
});

export const UserRoleChangedV1 = z.object({
  organizationId: uuid,
  userId: uuid,
  previousRole: role,
  role,
  changedAt: instant,
  changedBy: actor,
});

export const UserReactivatedV1 = z.object({
  organizationId: uuid,
  userId: uuid,
  reactivatedAt: instant,
  reactivatedBy: actor,
});

/** Event type → its current schema version and payload schema. */
export const crmOrganizationEventContractsV1 = {
  OrganizationRegistered: { schemaVersion: 1, schema: OrganizationRegisteredV1 },
  OrganizationTimezoneChanged: { schemaVersion: 1, schema: OrganizationTimezoneChangedV1 },
  UserAdded: { schemaVersion: 1, schema: UserAddedV1 },
  UserTimezoneChanged: { schemaVersion: 1, schema: UserTimezoneChangedV1 },
  UserDeactivated: { schemaVersion: 1, schema: UserDeactivatedV1 },
  UserRoleChanged: { schemaVersion: 1, schema: UserRoleChangedV1 },
  UserReactivated: { schemaVersion: 1, schema: UserReactivatedV1 },
} as const;

export type CrmOrganizationContractEventType = keyof typeof crmOrganizationEventContractsV1;
export type UserRoleV1 = (typeof USER_ROLES_V1)[number];

/** The organization events as a consumer's discriminated union (`{ type, data }`). */
export type CrmOrganizationEventV1 = {
  [Type in CrmOrganizationContractEventType]: {
    readonly type: Type;
    readonly data: z.infer<(typeof crmOrganizationEventContractsV1)[Type]['schema']>;
  };
}[CrmOrganizationContractEventType];

type OrganizationPayload<Type extends CrmOrganizationContractEventType> = Extract<CrmOrganizationEventV1, { type: Type }>['data'];

/** What one organization event changes about a user's membership (the shape platform/service's tenant directory applies). */
export type MembershipChangeV1 =
  | { readonly userId: string; readonly at: string; readonly role: UserRoleV1; readonly kind: 'added' }
  | { readonly userId: string; readonly at: string; readonly role: UserRoleV1; readonly kind: 'role' }
  | { readonly userId: string; readonly at: string; readonly active: boolean; readonly kind: 'active' };

/** One organization event type a user directory reads: its contract checks and the change it makes. */
interface MembershipEventV1<Type extends CrmOrganizationContractEventType> {
  readonly schemaVersions: readonly number[];
  readonly contract: z.ZodTypeAny;
  readonly change: (data: OrganizationPayload<Type>) => MembershipChangeV1;
}

const membershipEvent = <Type extends CrmOrganizationContractEventType>(
  type: Type,
  change: (data: OrganizationPayload<Type>) => MembershipChangeV1,
): MembershipEventV1<Type> => ({
  schemaVersions: [crmOrganizationEventContractsV1[type].schemaVersion],
  contract: crmOrganizationEventContractsV1[type].schema,
  change,
});

/**
 * crm as the source of every other service's users: the topic, the organization events that change
 * a membership and how. Services other than crm keep a copy of who may call them from it
 * (platform/service `tenantDirectoryProviders`), so this is the one place that reads crm's user
 * events for that purpose.
 */
export const CRM_MEMBERSHIP_SOURCE_V1 = {
  topic: CRM_ORGANIZATION_TOPIC_V1,
  events: {
    UserAdded: membershipEvent('UserAdded', (d) => ({ kind: 'added', userId: d.userId, role: d.role, at: d.addedAt })),
    UserRoleChanged: membershipEvent('UserRoleChanged', (d) => ({ kind: 'role', userId: d.userId, role: d.role, at: d.changedAt })),
    UserDeactivated: membershipEvent('UserDeactivated', (d) => ({ kind: 'active', userId: d.userId, active: false, at: d.deactivatedAt })),
    UserReactivated: membershipEvent('UserReactivated', (d) => ({ kind: 'active', userId: d.userId, active: true, at: d.reactivatedAt })),
  },
} as const;

/** A valid UserAdded payload (tests, demos and benches enrol users the way crm announces them). */
export function userAddedV1(tenantId: string, userId: string, role: UserRoleV1, at: string): OrganizationPayload<'UserAdded'> {
  return { organizationId: tenantId, userId, name: `User ${userId.slice(0, 8)}`, email: `${userId}@studio.example`, timezone: 'UTC', role, addedAt: at, addedBy: 'user-crm' };
}
