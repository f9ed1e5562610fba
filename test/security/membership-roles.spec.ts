import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { ROLES, roleNamed } from '@projectflo/platform/auth';
import type { MembershipSource } from '@projectflo/platform/service';

const { CRM_MEMBERSHIP_SOURCE_V1, USER_ROLES_V1 } = crmOrganizationEventsV1;

describe("crm as every other service's source of users", () => {
  it("names every platform role, one to one, so each role crm grants means the same to every service's gate", () => {
    expect(USER_ROLES_V1.map(roleNamed)).toEqual([...ROLES]);
  });

  it('is a MembershipSource: every organization event that changes who may call, with its contract', () => {
    const source: MembershipSource = CRM_MEMBERSHIP_SOURCE_V1;
    expect(Object.keys(source.events).sort()).toEqual(['UserAdded', 'UserDeactivated', 'UserReactivated', 'UserRoleChanged']);
    const at = '2026-11-30T10:00:00.000Z';
    const added = crmOrganizationEventsV1.userAddedV1('9d0a3b0e-6f4e-4a51-9a1e-2f7f3c0f2b11', '5b8f6f2c-1d2e-4c3a-8b7a-0e9d8c7b6a51', 'Manager', at);
    expect(CRM_MEMBERSHIP_SOURCE_V1.events.UserAdded.contract.safeParse(added).success).toBe(true);
    expect(CRM_MEMBERSHIP_SOURCE_V1.events.UserAdded.change(added)).toEqual({ kind: 'added', userId: added.userId, role: 'Manager', at });
  });
});
