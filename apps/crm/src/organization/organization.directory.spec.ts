import { UserRoles } from '@projectflo/crm/domain';
import { ROLES, roleNamed } from '@projectflo/platform/auth';

describe("crm's user roles", () => {
  it('are exactly the platform roles, so every user the directory returns has a role the gate knows', () => {
    expect(UserRoles.map(roleNamed)).toEqual([...ROLES]);
  });
});
