import { ContactEventType, type ContactEvent } from '@projectflo/crm/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { Projection } from '@projectflo/platform/persistence';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContactSchema } from './contact.entities';
import { evolveContactRow } from './contact.view';

export const contactProjection: Projection = {
  name: 'crm-contacts',
  handles: Object.values(ContactEventType),
  tables: ['contacts'],
  async apply(em: EntityManager, recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as ContactEvent;
    const contactId = event.data.contactId;
    const current = (await em.findOne(ContactSchema, { contactId })) ?? undefined;
    // Idempotent by stream position as well as through the inbox.
    if (current && (current.tenantId !== recorded.metadata.tenantId || recorded.streamPosition <= current.version)) return;
    if (!current && event.type !== 'ContactCreated') return;
    const next = evolveContactRow(current ? { ...current } : undefined, recorded);
    if (!next) return;
    if (current) em.assign(current, next);
    else em.create(ContactSchema, next);
  },
};
