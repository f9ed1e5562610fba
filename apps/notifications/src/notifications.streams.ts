/**
 * Aggregate types of notifications: the prefix of their stream names (`<type>-<id>`) and the key of
 * the relay's topic map. The rule catalog is one stream per tenant; a delivery one per delivery id.
 */
export const NOTIFICATIONS_AGGREGATE_TYPES = {
  notificationRules: 'notification-rules',
  delivery: 'delivery',
  inboxItem: 'inbox-item',
  preferences: 'notification-preferences',
  channelSettings: 'channel-settings',
} as const;

export const NotificationsStreams = {
  notificationRules: (tenantId: string) => `${NOTIFICATIONS_AGGREGATE_TYPES.notificationRules}-${tenantId}`,
  delivery: (deliveryId: string) => `${NOTIFICATIONS_AGGREGATE_TYPES.delivery}-${deliveryId}`,
  /** One in-app inbox item; its id is the in-app delivery's id. */
  inboxItem: (itemId: string) => `${NOTIFICATIONS_AGGREGATE_TYPES.inboxItem}-${itemId}`,
  /** One user's preferences in one tenant. */
  preferences: (tenantId: string, userId: string) => `${NOTIFICATIONS_AGGREGATE_TYPES.preferences}-${tenantId}.${userId}`,
  /** A tenant's channel settings. */
  channelSettings: (tenantId: string) => `${NOTIFICATIONS_AGGREGATE_TYPES.channelSettings}-${tenantId}`,
} as const;

/** The service's name: its commands' system actor (automationMetadata), its service options. */
export const NOTIFICATIONS_SERVICE = 'notifications';
