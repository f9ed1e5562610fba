import type { TextRule } from '@projectflo/platform/core';

/**
 * Upper bounds on what a client may send the task-engine (text in characters: code points, as
 * core's Violations and the gRPC edge count them); hostile input gets INVALID_ARGUMENT, never a crash.
 */
export const LIMITS = {
  id: 128,
  key: 64,
  eventTypeKey: 100,
  name: 200,
  description: 5_000,
  phase: 100,
  reason: 1_000,
  commentBody: 10_000,
  checklistItems: 100,
  checklistTitle: 500,
  metadataEntries: 50,
  metadataKey: 64,
  metadataValue: 1_000,
  dependsOn: 50,
  subjectDateFields: 20,
  idempotencyKey: 200,
} as const;

/** A template key or a checklist item key: stable, URL-safe, lower case. */
export const SLUG_RULE: TextRule = {
  required: true,
  max: LIMITS.key,
  pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  patternDescription: 'must be lower-case letters and digits separated by single hyphens ([a-z0-9-])',
};

/** An event type key such as `wedding.booked`. */
export const EVENT_TYPE_KEY_RULE: TextRule = {
  required: true,
  max: LIMITS.eventTypeKey,
  pattern: /^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*$/,
  patternDescription: 'must be dot-separated lower-case segments, e.g. "wedding.booked"',
};

/** A subject date field of an event type's payload (`event_date`), which a due offset can anchor on. */
export const FIELD_NAME_RULE: TextRule = {
  required: true,
  max: LIMITS.key,
  pattern: /^[a-z][a-z0-9_]*$/,
  patternDescription: 'must be a snake_case field name such as event_date',
};
