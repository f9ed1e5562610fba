import { OrganizationEventType } from '@projectflo/crm/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import { rowProjection } from '@projectflo/platform/persistence';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationSchema, UserSchema } from './organization.entities';
import { evolveOrganizationRow, evolveUserRow, userIdOf } from './organization.view';

/** The organization row (its view fold) and, alongside it, one row per user (theirs). */
export const organizationProjection = rowProjection({
  name: 'crm-organizations',
  handles: Object.values(OrganizationEventType),
  entity: OrganizationSchema,
  table: 'organizations',
  key: (event) => ({ tenantId: event.metadata.tenantId }),
  fold: evolveOrganizationRow,
  alongside: { tables: ['users'], apply: applyToUsers },
});

/** The row of the user the event is about, as evolveUserRow folds it. */
async function applyToUsers(em: EntityManager, recorded: RecordedEvent): Promise<void> {
  const userId = userIdOf(recorded);
  if (userId === undefined) return;
  const current = (await em.findOne(UserSchema, { tenantId: recorded.metadata.tenantId, userId })) ?? undefined;
  const next = evolveUserRow(current ? { ...current } : undefined, recorded);
  if (!next) return;
  if (current) Object.assign(current, next);
  else em.create(UserSchema, next);
}
