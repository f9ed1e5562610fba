/**
 * Aggregate types of notifications: the prefix of their stream names (`<type>-<id>`) and the key of
 * the relay's topic map. The rule catalog is one stream per tenant; a delivery one per delivery id.
 */
export const NOTIFICATIONS_AGGREGATE_TYPES = {
  notificationRules: 'notification-rules',
  delivery: 'delivery',
} as const;

export const NotificationsStreams = {
  notificationRules: (tenantId: string) => `${NOTIFICATIONS_AGGREGATE_TYPES.notificationRules}-${tenantId}`,
  delivery: (deliveryId: string) => `${NOTIFICATIONS_AGGREGATE_TYPES.delivery}-${deliveryId}`,
} as const;

/** The service's name: its commands' system actor (automationMetadata), its service options. */
export const NOTIFICATIONS_SERVICE = 'notifications';
