import type { Command } from '@projectflo/platform/core';
import type { ReminderPolicy } from './reminder-policy.events';

/** Replaces the tenant's reminder policy (as the edge read it; the decider validates and normalises). */
export type SetReminderPolicy = Command<'SetReminderPolicy', { readonly policy: ReminderPolicy }>;

export type ReminderPolicyCommand = SetReminderPolicy;
