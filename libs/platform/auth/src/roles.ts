/**
 * The roles of a tenant's users (source documents 001/002: organization users and roles, client
 * users). crm is the source of truth for who holds which role; the other services learn it from
 * crm's organization events. One user holds one role per tenant.
 */
export const ROLES = ['owner', 'admin', 'manager', 'member', 'contributor', 'client'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * The role a contract spells its own way (crm's events and API write `Owner`, `Contributor`):
 * the same roles, case aside. Undefined for a name that is no role.
 */
export function roleNamed(name: string): Role | undefined {
  const role = name.toLowerCase();
  return isRole(role) ? role : undefined;
}
