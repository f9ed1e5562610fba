import { rowProjection } from '@projectflo/platform/persistence';
import { inboxItemDecider } from './inbox-item.decider';
import { InboxItemSchema } from './inbox.entities';
import { evolveInboxItemRow } from './inbox.view';

/** The in-app inboxes: one row per item (idempotent by the row's version and the consumer's inbox). */
export const inboxProjection = rowProjection({
  name: 'notifications-inbox',
  handles: Object.keys(inboxItemDecider.schemaVersions),
  entity: InboxItemSchema,
  table: 'inbox_items',
  key: (event) => ({ itemId: (event.data as { itemId: string }).itemId }),
  fold: evolveInboxItemRow,
});
