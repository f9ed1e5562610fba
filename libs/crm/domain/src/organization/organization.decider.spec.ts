import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, AT, chars, meta, TENANT, uuid } from '../testing/crm.fixtures';
import type { OrganizationCommand } from './organization.commands';
import { organizationDecider, userLookup } from './organization.decider';
import type { OrganizationRegistered, UserAdded, UserDeactivated, UserRole } from './organization.events';

const spec = deciderSpecification(organizationDecider);
const USER = uuid(11);

const registered: OrganizationRegistered = {
  type: 'OrganizationRegistered',
  data: { organizationId: TENANT, name: 'Lumen Studio', timezone: 'Europe/Paris', registeredAt: AT, registeredBy: ACTOR },
};
const userAdded: UserAdded = {
  type: 'UserAdded',
  data: {
    organizationId: TENANT,
    userId: USER,
    name: 'Ada Lovelace',
    email: 'ada@lumen.example',
    timezone: 'America/New_York',
    role: 'Admin',
    addedAt: AT,
    addedBy: ACTOR,
  },
};
const deactivated: UserDeactivated = {
  type: 'UserDeactivated',
  data: { organizationId: TENANT, userId: USER, reason: 'left', deactivatedAt: AT, deactivatedBy: ACTOR },
};

const ownerAdded: UserAdded = {
  type: 'UserAdded',
  data: {
    organizationId: TENANT,
    userId: ACTOR,
    name: 'Nadia Boulanger',
    email: 'nadia@lumen.example',
    timezone: 'Europe/Paris',
    role: 'Owner',
    addedAt: AT,
    addedBy: ACTOR,
  },
};

const register = (
  data: Partial<{ organizationId: string; name: string; timezone: string; owner: { name: string; email: string } }> = {},
): OrganizationCommand => ({
  type: 'RegisterOrganization',
  data: { organizationId: TENANT, name: 'Lumen Studio', timezone: 'Europe/Paris', owner: { name: 'Nadia Boulanger', email: 'Nadia@Lumen.example' }, ...data },
  metadata: meta(),
});

const addUser = (data: Record<string, unknown> = {}): OrganizationCommand =>
  ({
    type: 'AddUser',
    data: { userId: uuid(12), name: 'Grace Hopper', email: 'Grace@Lumen.Example ', role: 'Member', ...data },
    metadata: meta(),
  }) as OrganizationCommand;

describe('organization decider', () => {
  describe('when the organization is not registered', () => {
    it('registers it with a canonical IANA timezone', () => {
      spec
        .given([])
        .when(register({ name: '  Lumen Studio ', timezone: 'europe/paris' }))
        .then([registered, ownerAdded]);
    });

    it('reports every invalid field at once', () => {
      spec
        .given([])
        .when(register({ name: ' ', timezone: 'Mars/Olympus_Mons', owner: { name: '', email: 'nadia' } }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['name', 'timezone', 'ownerName', 'ownerEmail']);
    });

    it('refuses a caller that is not a user (a service identity cannot become the owner)', () => {
      spec.given([]).when({ ...register(), metadata: meta({ actorId: 'system:task-engine' }) }).thenThrows(DomainErrorCode.PermissionDenied);
    });

    it('rejects a name longer than 200 characters and accepts exactly 200', () => {
      spec.given([]).when(register({ name: chars(201) })).thenThrows(DomainErrorCode.InvalidArgument, ['name']);
      spec
        .given([])
        .when(register({ name: chars(200) }))
        .then([{ ...registered, data: { ...registered.data, name: chars(200) } }, ownerAdded]);
    });

    it('rejects an organization id that is not a UUID', () => {
      spec.given([]).when(register({ organizationId: 'acme' })).thenThrows(DomainErrorCode.InvalidArgument, ['organizationId']);
    });

    it('refuses to register an organization other than the caller tenant', () => {
      spec.given([]).when(register({ organizationId: uuid(99) })).thenThrows(DomainErrorCode.PermissionDenied);
    });

    it('cannot add users to it', () => {
      spec.given([]).when(addUser()).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when the organization is registered', () => {
    it('cannot be registered twice', () => {
      spec.given([registered]).when(register()).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('adds a user with a lower-cased email and the organization timezone by default', () => {
      spec
        .given([registered])
        .when(addUser())
        .then([
          {
            type: 'UserAdded',
            data: {
              organizationId: TENANT,
              userId: uuid(12),
              name: 'Grace Hopper',
              email: 'grace@lumen.example',
              timezone: 'Europe/Paris',
              role: 'Member',
              addedAt: AT,
              addedBy: ACTOR,
            },
          },
        ]);
    });

    it('validates the user fields', () => {
      spec
        .given([registered])
        .when(addUser({ userId: 'u1', name: '', email: 'not-an-email', timezone: 'Nowhere/City', role: 'God' }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['userId', 'name', 'email', 'timezone', 'role']);
    });

    it('changes the organization timezone, and ignores a change to the same zone', () => {
      const change = (timezone: string): OrganizationCommand => ({
        type: 'ChangeOrganizationTimezone',
        data: { timezone },
        metadata: meta(),
      });
      spec
        .given([registered])
        .when(change('Asia/Tokyo'))
        .then([
          {
            type: 'OrganizationTimezoneChanged',
            data: { organizationId: TENANT, previousTimezone: 'Europe/Paris', timezone: 'Asia/Tokyo', changedAt: AT, changedBy: ACTOR },
          },
        ]);
      spec.given([registered]).when(change('Europe/Paris')).then([]);
    });
  });

  describe('when a user exists', () => {
    const changeTimezone = (timezone: string, userId = USER): OrganizationCommand => ({
      type: 'ChangeUserTimezone',
      data: { userId, timezone },
      metadata: meta(),
    });

    it('refuses a second user with the same id', () => {
      spec.given([registered, userAdded]).when(addUser({ userId: USER })).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('refuses a second user with the same email, whatever its case', () => {
      const error = spec
        .given([registered, userAdded])
        .when(addUser({ email: 'ADA@lumen.example' }))
        .thenThrows(DomainErrorCode.AlreadyExists);
      expect(error.details).toEqual({ what: 'user', userId: USER });
    });

    it('changes the user timezone', () => {
      spec
        .given([registered, userAdded])
        .when(changeTimezone('Europe/London'))
        .then([
          {
            type: 'UserTimezoneChanged',
            data: {
              organizationId: TENANT,
              userId: USER,
              previousTimezone: 'America/New_York',
              timezone: 'Europe/London',
              changedAt: AT,
              changedBy: ACTOR,
            },
          },
        ]);
    });

    it('does nothing when the timezone is unchanged', () => {
      spec.given([registered, userAdded]).when(changeTimezone('America/New_York')).then([]);
    });

    it('rejects an invalid timezone', () => {
      spec.given([registered, userAdded]).when(changeTimezone('EST5EDT-ish')).thenThrows(DomainErrorCode.InvalidArgument, ['timezone']);
    });

    it('reports an unknown user as not found', () => {
      spec.given([registered, userAdded]).when(changeTimezone('Europe/London', uuid(77))).thenThrows(DomainErrorCode.NotFound);
    });

    it('deactivates the user', () => {
      spec
        .given([registered, userAdded])
        .when({ type: 'DeactivateUser', data: { userId: USER, reason: 'left' }, metadata: meta() })
        .then([deactivated]);
    });

    it('is reported as an existing, active user to other deciders', () => {
      const state = [registered, userAdded].reduce(organizationDecider.evolve, organizationDecider.initialState());
      expect(userLookup(state, USER)).toEqual({ userId: USER, exists: true, active: true });
      expect(userLookup(state, uuid(77))).toEqual({ userId: uuid(77), exists: false, active: false });
    });
  });

  describe('when the user is deactivated', () => {
    it('cannot be deactivated twice', () => {
      spec
        .given([registered, userAdded, deactivated])
        .when({ type: 'DeactivateUser', data: { userId: USER }, metadata: meta() })
        .thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('keeps its timezone', () => {
      spec
        .given([registered, userAdded, deactivated])
        .when({ type: 'ChangeUserTimezone', data: { userId: USER, timezone: 'Asia/Tokyo' }, metadata: meta() })
        .thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('is reported as inactive to other deciders', () => {
      const state = [registered, userAdded, deactivated].reduce(organizationDecider.evolve, organizationDecider.initialState());
      expect(userLookup(state, USER)).toEqual({ userId: USER, exists: true, active: false });
    });
  });

  describe('roles and the last active owner', () => {
    const changeRole = (role: UserRole, userId = USER): OrganizationCommand => ({ type: 'ChangeUserRole', data: { userId, role }, metadata: meta() });
    const deactivate = (userId: string): OrganizationCommand => ({ type: 'DeactivateUser', data: { userId }, metadata: meta() });

    it('changes a user role, naming the previous one', () => {
      spec
        .given([registered, ownerAdded, userAdded])
        .when(changeRole('Contributor'))
        .then([
          {
            type: 'UserRoleChanged',
            data: { organizationId: TENANT, userId: USER, previousRole: 'Admin', role: 'Contributor', changedAt: AT, changedBy: ACTOR },
          },
        ]);
    });

    it('refuses the role the user already has, an unknown role and an inactive user', () => {
      spec.given([registered, ownerAdded, userAdded]).when(changeRole('Admin')).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([registered, ownerAdded, userAdded]).when(changeRole('God' as UserRole)).thenThrows(DomainErrorCode.InvalidArgument, ['role']);
      spec.given([registered, ownerAdded, userAdded, deactivated]).when(changeRole('Member')).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('never demotes or deactivates the last active owner', () => {
      spec.given([registered, ownerAdded, userAdded]).when(changeRole('Admin', ACTOR)).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([registered, ownerAdded, userAdded]).when(deactivate(ACTOR)).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('demotes or deactivates an owner while another active owner remains', () => {
      const promoted = { type: 'UserRoleChanged', data: { organizationId: TENANT, userId: USER, previousRole: 'Admin', role: 'Owner', changedAt: AT, changedBy: ACTOR } } as const;
      spec
        .given([registered, ownerAdded, userAdded, promoted])
        .when(deactivate(ACTOR))
        .then([{ type: 'UserDeactivated', data: { organizationId: TENANT, userId: ACTOR, reason: '', deactivatedAt: AT, deactivatedBy: ACTOR } }]);
      spec.given([registered, ownerAdded, userAdded, promoted, deactivated]).when(changeRole('Member', ACTOR)).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('lets only an active owner grant, change or withdraw the owner role', () => {
      const byAdmin = { ...meta(), actorId: USER };
      spec.given([registered, ownerAdded, userAdded]).when({ ...addUser({ role: 'Owner' }), metadata: byAdmin }).thenThrows(DomainErrorCode.PermissionDenied);
      spec.given([registered, ownerAdded, userAdded]).when({ ...changeRole('Owner'), metadata: byAdmin }).thenThrows(DomainErrorCode.PermissionDenied);
      spec.given([registered, ownerAdded, userAdded]).when({ ...deactivate(ACTOR), metadata: byAdmin }).thenThrows(DomainErrorCode.PermissionDenied);
      spec
        .given([registered, ownerAdded, userAdded])
        .when(changeRole('Owner'))
        .then([{ type: 'UserRoleChanged', data: { organizationId: TENANT, userId: USER, previousRole: 'Admin', role: 'Owner', changedAt: AT, changedBy: ACTOR } }]);
    });

    it('reactivates a deactivated user, and only a deactivated one', () => {
      const reactivate: OrganizationCommand = { type: 'ReactivateUser', data: { userId: USER }, metadata: meta() };
      spec
        .given([registered, ownerAdded, userAdded, deactivated])
        .when(reactivate)
        .then([{ type: 'UserReactivated', data: { organizationId: TENANT, userId: USER, reactivatedAt: AT, reactivatedBy: ACTOR } }]);
      spec.given([registered, ownerAdded, userAdded]).when(reactivate).thenThrows(DomainErrorCode.FailedPrecondition);
    });
  });
});
