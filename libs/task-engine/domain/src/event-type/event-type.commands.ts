import type { Command } from '@projectflo/platform/core';

export type DefineEventType = Command<
  'DefineEventType',
  {
    readonly eventTypeId: string;
    /** The type's key, named as the API names it (DefineEventTypeRequest.event_type). */
    readonly eventType: string;
    readonly name: string;
    readonly description?: string | null;
    readonly subjectDateFields?: readonly string[];
  }
>;

export type RetireEventType = Command<'RetireEventType', { readonly eventTypeId: string; readonly reason?: string | null }>;

export type EventTypeCommand = DefineEventType | RetireEventType;
