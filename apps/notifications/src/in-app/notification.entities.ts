import { EntitySchema } from '@mikro-orm/postgresql';

export const CHANNELS = ['in_app', 'email', 'sms', 'push', 'slack'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** One notification in a recipient's inbox; it is read once `readAt` is set. */
export interface NotificationView {
  id: string;
  tenantId: string;
  recipientId: string;
  title: string;
  body: string;
  link: string;
  channel: ChannelName;
  readAt: Date | null;
  createdAt: Date;
}

export const NotificationViewSchema = new EntitySchema<NotificationView>({
  name: 'NotificationView',
  tableName: 'notifications',
  properties: {
    id: { type: 'string', primary: true, fieldName: 'notification_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    recipientId: { type: 'string', fieldName: 'recipient_id' },
    title: { type: 'string' },
    body: { type: 'text' },
    link: { type: 'string' },
    channel: { type: 'string' },
    readAt: { type: 'Date', fieldName: 'read_at', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at' },
  },
});

export const NOTIFICATIONS_ENTITIES = [NotificationViewSchema];
