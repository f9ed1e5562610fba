import { z } from 'zod';
import { id, requiredText, text } from './payload-fields';

/* Field blocks shared by the task-engine's topics, with the task-engine domain's rules (shared/validation.ts). */

/** An event type key such as `wedding.booked`: dot-separated lower-case segments, at most 100 characters. */
export const eventTypeKey = requiredText(100).pipe(z.string().regex(/^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*$/, 'must be an event type key'));

/** A template or checklist item key: lower-case letters and digits separated by single hyphens, at most 64 characters. */
export const slug = requiredText(64).pipe(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a key of [a-z0-9-]'));

/** A subject date field name such as `event_date`, at most 64 characters. */
export const fieldName = requiredText(64).pipe(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case field name'));

/** Hours as an exact decimal string with two places, e.g. "1.50" (at most 99999.99). */
export const hours = z.string().regex(/^\d{1,5}\.\d{2}$/, 'must be hours as a decimal with two places');

/** What makes a template expand: a lead entering a status, or an external event of a type. */
export const templateTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lead_status'), statusId: id }),
  z.object({ kind: z.literal('event_type'), eventTypeKey }),
]);

export const TASK_STATUSES_V1 = ['To-Do', 'Ready to Start', 'In Progress', 'Completed', 'Archived'] as const;
export const TASK_PRIORITIES_V1 = ['Low', 'Medium', 'High', 'Critical'] as const;

/** A template's metadata: at most 50 entries, keys of 1-64 letters, digits, "_", "." or "-", values of at most 1000 characters. */
export const taskMetadata = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'keys must be 1-64 letters, digits, "_", "." or "-"'), text(1_000))
  .refine((m) => Object.keys(m).length <= 50, 'must have at most 50 entries');

export const checklistItem = z.object({ itemKey: slug, title: requiredText(500) });
