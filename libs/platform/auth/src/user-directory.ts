import type { Role } from './roles';

/** What a service knows about one user of one tenant. */
export interface TenantMember {
  readonly tenantId: string;
  readonly userId: string;
  readonly role: Role;
  readonly active: boolean;
}

/**
 * Who the users of a tenant are, as the service knows them: crm reads its own organization read
 * model; the other services keep a copy fed by crm's organization events. The gRPC gate asks it
 * for every authenticated call: an unknown or inactive user is refused.
 */
export interface UserDirectory {
  member(tenantId: string, userId: string): Promise<TenantMember | undefined>;
}

/** Nest injection token of the service's UserDirectory. */
export const USER_DIRECTORY = Symbol('USER_DIRECTORY');
