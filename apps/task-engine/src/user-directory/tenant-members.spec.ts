import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { ROLES } from '@projectflo/platform/auth';
import { tenantRole } from './tenant-members';

describe('tenantRole', () => {
  it("maps every role crm's contract names onto the platform roles, one to one", () => {
    expect(crmOrganizationEventsV1.USER_ROLES_V1.map(tenantRole)).toEqual([...ROLES]);
  });
});
