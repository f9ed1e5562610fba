import type { Command } from '@projectflo/platform/core';
import type { NotificationChannel } from '../rules/notification-rules.events';
import type { DeliveryRequested, SuppressionReason } from './delivery.events';

type Requested = DeliveryRequested['data'];

export type RequestDelivery = Command<'RequestDelivery', Omit<Requested, 'tenantId' | 'requestedAt'>>;
export type DeferDelivery = Command<'DeferDelivery', { readonly until: string }>;
export type RecordAttemptFailure = Command<'RecordAttemptFailure', { readonly attempt: number; readonly reason: string }>;
export type FallBack = Command<'FallBack', { readonly toChannel: NotificationChannel; readonly reason: string }>;
export type RecordDelivered = Command<'RecordDelivered', { readonly providerMessageId: string }>;
export type RecordDeliveryFailure = Command<'RecordDeliveryFailure', { readonly reason: string }>;
export type SuppressDelivery = Command<'SuppressDelivery', { readonly reason: SuppressionReason }>;

export type DeliveryCommand = RequestDelivery | DeferDelivery | RecordAttemptFailure | FallBack | RecordDelivered | RecordDeliveryFailure | SuppressDelivery;
