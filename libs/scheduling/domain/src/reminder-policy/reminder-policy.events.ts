import type { DomainEvent } from '@projectflo/platform/core';
import type { OutsideWorkingTime, WorkingHours } from './firing-times';

export interface TemplateOffsets {
  readonly templateKey: string;
  readonly offsets: readonly string[];
}

/** A tenant's whole reminder policy, normalised (offsets without repeats, longest first; overrides by template key). */
export interface ReminderPolicy {
  readonly offsets: readonly string[];
  readonly templateOverrides: readonly TemplateOffsets[];
  readonly workingHours: WorkingHours | null;
  readonly outsideWorkingTime: OutsideWorkingTime;
  readonly overdueAfter: string;
}

export type ReminderPolicySet = DomainEvent<'ReminderPolicySet', ReminderPolicy & { readonly tenantId: string; readonly setBy: string; readonly setAt: string }>;

export type ReminderPolicyEvent = ReminderPolicySet;
