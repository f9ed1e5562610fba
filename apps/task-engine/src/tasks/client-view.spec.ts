import { isClientUser } from './client-view';

describe('isClientUser', () => {
  it('is a user whose only role is client', () => {
    expect(isClientUser({ actorKind: 'user', roles: ['client'] })).toBe(true);
  });

  it("is not a studio user, a service, or a caller with no role that counts", () => {
    expect(isClientUser({ actorKind: 'user', roles: ['contributor'] })).toBe(false);
    expect(isClientUser({ actorKind: 'user', roles: ['client', 'member'] })).toBe(false);
    expect(isClientUser({ actorKind: 'service', roles: [] })).toBe(false);
    expect(isClientUser({ actorKind: 'user', roles: [] })).toBe(false);
  });
});
