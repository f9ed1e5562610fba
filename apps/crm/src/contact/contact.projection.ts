import { ContactEventType, type ContactEvent } from '@projectflo/crm/domain';
import { rowProjection } from '@projectflo/platform/persistence';
import { ContactSchema } from './contact.entities';
import { evolveContactRow } from './contact.view';

export const contactProjection = rowProjection({
  name: 'crm-contacts',
  handles: Object.values(ContactEventType),
  entity: ContactSchema,
  table: 'contacts',
  key: (event) => ({ contactId: (event.data as ContactEvent['data']).contactId }),
  fold: evolveContactRow,
});
