import { defineDecider, assertNever, DomainError, DomainErrorCode, isUuid, Violations } from '@projectflo/platform/core';
import { TextLimits } from '../shared/text-limits';
import type { OrganizationCommand } from './organization.commands';
import { UserRoles, type OrganizationEvent, type UserRole } from './organization.events';

export interface OrganizationUser {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: UserRole;
  readonly active: boolean;
}

export type OrganizationState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly organizationId: string;
      readonly name: string;
      readonly timezone: string;
      readonly users: Readonly<Record<string, OrganizationUser>>;
    };

type Registered = Extract<OrganizationState, { status: 'registered' }>;

/** What a handler tells the lead decider about a user it looked up in this aggregate. */
export interface UserLookup {
  readonly userId: string;
  readonly exists: boolean;
  readonly active: boolean;
}

export function userLookup(state: OrganizationState, userId: string): UserLookup {
  const user = state.status === 'registered' ? state.users[userId] : undefined;
  return { userId, exists: user !== undefined, active: user?.active ?? false };
}

export const organizationDecider = defineDecider<OrganizationState, OrganizationCommand, OrganizationEvent>({
  aggregate: 'organization',
  schemaVersions: {
    OrganizationRegistered: 1,
    OrganizationTimezoneChanged: 1,
    UserAdded: 1,
    UserTimezoneChanged: 1,
    UserDeactivated: 1,
    UserRoleChanged: 1,
    UserReactivated: 1,
  },
  initialState: () => ({ status: 'unregistered' }),
  evolve,
  decide,
});

function evolve(state: OrganizationState, event: OrganizationEvent): OrganizationState {
  switch (event.type) {
    case 'OrganizationRegistered':
      return {
        status: 'registered',
        organizationId: event.data.organizationId,
        name: event.data.name,
        timezone: event.data.timezone,
        users: {},
      };
    case 'OrganizationTimezoneChanged':
      return state.status === 'registered' ? { ...state, timezone: event.data.timezone } : state;
    case 'UserAdded': {
      if (state.status !== 'registered') return state;
      const { userId, name, email, timezone, role } = event.data;
      return { ...state, users: { ...state.users, [userId]: { userId, name, email, timezone, role, active: true } } };
    }
    case 'UserTimezoneChanged':
      return updateUser(state, event.data.userId, (user) => ({ ...user, timezone: event.data.timezone }));
    case 'UserDeactivated':
      return updateUser(state, event.data.userId, (user) => ({ ...user, active: false }));
    case 'UserRoleChanged':
      return updateUser(state, event.data.userId, (user) => ({ ...user, role: event.data.role }));
    case 'UserReactivated':
      return updateUser(state, event.data.userId, (user) => ({ ...user, active: true }));
    default:
      return assertNever(event, 'organization event');
  }
}

function updateUser(
  state: OrganizationState,
  userId: string,
  change: (user: OrganizationUser) => OrganizationUser,
): OrganizationState {
  if (state.status !== 'registered') return state;
  const user = state.users[userId];
  return user ? { ...state, users: { ...state.users, [userId]: change(user) } } : state;
}

function decide(command: OrganizationCommand, state: OrganizationState): OrganizationEvent[] {
  const { actorId, tenantId } = command.metadata;
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'RegisterOrganization': {
      const v = new Violations();
      const organizationId = v.uuid('organizationId', command.data.organizationId);
      const name = v.text('name', command.data.name, { max: TextLimits.name, required: true });
      const timezone = v.timezone('timezone', command.data.timezone);
      const ownerName = v.text('ownerName', command.data.owner.name, { max: TextLimits.name, required: true });
      const ownerEmail = v.email('ownerEmail', command.data.owner.email);
      v.throwIfAny();
      if (organizationId !== tenantId) {
        throw DomainError.permissionDenied('an organization can only be registered as its own tenant');
      }
      if (state.status === 'registered') throw DomainError.alreadyExists('organization', organizationId);
      // The caller becomes the first owner: a user id is a UUID, so a service actor cannot register.
      if (!isUuid(actorId)) throw DomainError.permissionDenied('an organization is registered by a user, who becomes its owner');
      return [
        { type: 'OrganizationRegistered', data: { organizationId, name, timezone, registeredAt: at, registeredBy: actorId } },
        {
          type: 'UserAdded',
          data: {
            organizationId,
            userId: actorId,
            name: ownerName,
            email: ownerEmail,
            timezone,
            role: 'Owner',
            addedAt: at,
            addedBy: actorId,
          },
        },
      ];
    }
    case 'ChangeOrganizationTimezone': {
      const org = registered(state, tenantId);
      const v = new Violations();
      const timezone = v.timezone('timezone', command.data.timezone);
      v.throwIfAny();
      if (timezone === org.timezone) return [];
      return [
        {
          type: 'OrganizationTimezoneChanged',
          data: { organizationId: org.organizationId, previousTimezone: org.timezone, timezone, changedAt: at, changedBy: actorId },
        },
      ];
    }
    case 'AddUser': {
      const org = registered(state, tenantId);
      const v = new Violations();
      const userId = v.uuid('userId', command.data.userId);
      const name = v.text('name', command.data.name, { max: TextLimits.name, required: true });
      const email = v.email('email', command.data.email);
      const timezone =
        command.data.timezone === undefined || command.data.timezone.trim() === ''
          ? org.timezone
          : v.timezone('timezone', command.data.timezone);
      const role = v.oneOf('role', command.data.role, UserRoles);
      v.throwIfAny();
      if (role === 'Owner') byAnOwner(org, actorId);
      if (org.users[userId]) throw DomainError.alreadyExists('user', userId);
      const holder = Object.values(org.users).find((u) => u.email === email);
      if (holder) {
        throw new DomainError(DomainErrorCode.AlreadyExists, `a user with email ${email} already exists`, [], {
          what: 'user',
          userId: holder.userId,
        });
      }
      return [
        {
          type: 'UserAdded',
          data: { organizationId: org.organizationId, userId, name, email, timezone, role, addedAt: at, addedBy: actorId },
        },
      ];
    }
    case 'ChangeUserTimezone': {
      const org = registered(state, tenantId);
      const user = existingUser(org, command.data.userId);
      const v = new Violations();
      const timezone = v.timezone('timezone', command.data.timezone);
      v.throwIfAny();
      if (!user.active) throw DomainError.precondition(`user ${user.userId} is deactivated`, { userId: user.userId });
      if (timezone === user.timezone) return [];
      return [
        {
          type: 'UserTimezoneChanged',
          data: {
            organizationId: org.organizationId,
            userId: user.userId,
            previousTimezone: user.timezone,
            timezone,
            changedAt: at,
            changedBy: actorId,
          },
        },
      ];
    }
    case 'DeactivateUser': {
      const org = registered(state, tenantId);
      const user = existingUser(org, command.data.userId);
      const v = new Violations();
      const reason = v.text('reason', command.data.reason, { max: TextLimits.reason });
      v.throwIfAny();
      if (user.role === 'Owner') byAnOwner(org, actorId);
      if (!user.active) throw DomainError.precondition(`user ${user.userId} is already deactivated`, { userId: user.userId });
      keepAnActiveOwner(org, user);
      return [
        {
          type: 'UserDeactivated',
          data: { organizationId: org.organizationId, userId: user.userId, reason, deactivatedAt: at, deactivatedBy: actorId },
        },
      ];
    }
    case 'ChangeUserRole': {
      const org = registered(state, tenantId);
      const user = existingUser(org, command.data.userId);
      const v = new Violations();
      const role = v.oneOf('role', command.data.role, UserRoles);
      v.throwIfAny();
      if (role === 'Owner' || user.role === 'Owner') byAnOwner(org, actorId);
      if (!user.active) throw DomainError.precondition(`user ${user.userId} is deactivated`, { userId: user.userId });
      if (role === user.role) throw DomainError.precondition(`user ${user.userId} already has the role ${role}`, { userId: user.userId });
      keepAnActiveOwner(org, user);
      return [
        {
          type: 'UserRoleChanged',
          data: { organizationId: org.organizationId, userId: user.userId, previousRole: user.role, role, changedAt: at, changedBy: actorId },
        },
      ];
    }
    case 'ReactivateUser': {
      const org = registered(state, tenantId);
      const user = existingUser(org, command.data.userId);
      if (user.role === 'Owner') byAnOwner(org, actorId);
      if (user.active) throw DomainError.precondition(`user ${user.userId} is active`, { userId: user.userId });
      return [
        {
          type: 'UserReactivated',
          data: { organizationId: org.organizationId, userId: user.userId, reactivatedAt: at, reactivatedBy: actorId },
        },
      ];
    }
    default:
      return assertNever(command, 'organization command');
  }
}

function registered(state: OrganizationState, tenantId: string): Registered {
  if (state.status !== 'registered') throw DomainError.notFound('organization', tenantId);
  return state;
}

/** Only an active owner makes, unmakes, deactivates or reactivates an owner; an admin manages the other users. */
function byAnOwner(org: Registered, actorId: string): void {
  const actor = org.users[actorId];
  if (actor?.role !== 'Owner' || !actor.active) throw DomainError.permissionDenied('only an owner grants, changes or withdraws the owner role');
}

/** A user leaving the owner role or going inactive must leave another active owner behind. */
function keepAnActiveOwner(org: Registered, leaving: OrganizationUser): void {
  if (leaving.role !== 'Owner') return;
  const others = Object.values(org.users).some((u) => u.userId !== leaving.userId && u.active && u.role === 'Owner');
  if (!others) {
    throw DomainError.precondition(`user ${leaving.userId} is the organization's last active owner`, { userId: leaving.userId });
  }
}

function existingUser(org: Registered, userId: string): OrganizationUser {
  const user = org.users[userId];
  if (!user) throw DomainError.notFound('user', userId);
  return user;
}
