import { OrganizationEventType, type OrganizationEvent } from '@projectflo/crm/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { Projection } from '@projectflo/platform/persistence';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationSchema, UserSchema } from './organization.entities';

export const organizationProjection: Projection = {
  name: 'crm-organizations',
  handles: Object.values(OrganizationEventType),
  tables: ['organizations', 'users'],
  async apply(em: EntityManager, recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as OrganizationEvent;
    const tenantId = recorded.metadata.tenantId;
    const organization = await em.findOne(OrganizationSchema, { tenantId });
    // Idempotent by stream position as well as through the inbox.
    if (organization && recorded.streamPosition <= organization.version) return;
    if (event.type === 'OrganizationRegistered') {
      if (organization) return;
      em.create(OrganizationSchema, {
        tenantId,
        name: event.data.name,
        timezone: event.data.timezone,
        registeredAt: new Date(event.data.registeredAt),
        version: recorded.streamPosition,
      });
      return;
    }
    if (!organization) return;
    organization.version = recorded.streamPosition;
    switch (event.type) {
      case 'OrganizationTimezoneChanged':
        organization.timezone = event.data.timezone;
        return;
      case 'UserAdded':
        em.create(UserSchema, {
          userId: event.data.userId,
          tenantId,
          name: event.data.name,
          email: event.data.email,
          timezone: event.data.timezone,
          role: event.data.role,
          active: true,
          addedAt: new Date(event.data.addedAt),
        });
        return;
      case 'UserTimezoneChanged': {
        const user = await em.findOne(UserSchema, { userId: event.data.userId });
        if (user?.tenantId === tenantId) user.timezone = event.data.timezone;
        return;
      }
      case 'UserDeactivated': {
        const user = await em.findOne(UserSchema, { userId: event.data.userId });
        if (user?.tenantId === tenantId) user.active = false;
        return;
      }
      default:
        return;
    }
  },
};
