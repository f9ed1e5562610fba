import { EntitySchema } from '@mikro-orm/postgresql';
import type { InboxItemRow } from './inbox.view';

const datetime = (fieldName: string, nullable = false) => ({ type: 'datetime', fieldName, nullable }) as const;

export const InboxItemSchema = new EntitySchema<InboxItemRow>({
  name: 'InboxItemRow',
  tableName: 'inbox_items',
  properties: {
    itemId: { type: 'string', primary: true, fieldName: 'item_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    recipientId: { type: 'string', fieldName: 'recipient_id' },
    ruleId: { type: 'string', fieldName: 'rule_id' },
    title: { type: 'text' },
    body: { type: 'text' },
    link: { type: 'text', nullable: true },
    taskId: { type: 'string', fieldName: 'task_id', nullable: true },
    receivedAt: datetime('received_at'),
    readAt: datetime('read_at', true),
    archivedAt: datetime('archived_at', true),
    snoozedUntil: datetime('snoozed_until', true),
    version: { type: 'integer' },
  },
});
