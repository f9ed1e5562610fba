import { OrganizationEventType, type OrganizationEvent } from '@projectflo/crm/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import { rowProjection } from '@projectflo/platform/persistence';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationSchema, UserSchema } from './organization.entities';
import { evolveOrganizationRow } from './organization.view';

/** The organization row (its view fold) and, alongside it, one row per user. */
export const organizationProjection = rowProjection({
  name: 'crm-organizations',
  handles: Object.values(OrganizationEventType),
  entity: OrganizationSchema,
  table: 'organizations',
  key: (event) => ({ tenantId: event.metadata.tenantId }),
  fold: evolveOrganizationRow,
  alongside: { tables: ['users'], apply: applyToUsers },
});

async function applyToUsers(em: EntityManager, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as OrganizationEvent;
  const tenantId = recorded.metadata.tenantId;
  switch (event.type) {
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
}
