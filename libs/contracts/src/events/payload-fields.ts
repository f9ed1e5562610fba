import { z } from 'zod';

/*
 * The building blocks of every published event payload schema. Each bound is at least as wide as
 * the rule the producing domain checks (and the gRPC edge before it), so an event its decider
 * emits always fits its contract; the contracts specs in libs/crm/domain and
 * libs/task-engine/domain hold the two to each other.
 */

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, the range of google.protobuf.Timestamp. */
const MIN_INSTANT_MS = -62_135_596_800_000;
const MAX_INSTANT_MS = 253_402_300_799_999;

/** Characters as a person counts them (code points), never fewer than the domains and the edge count. */
const length = (value: string): number => [...value].length;

/** Text of at most `max` characters; with `min`, at least that many. */
export function text(max: number, options: { readonly min?: number } = {}): z.ZodType<string> {
  const min = options.min ?? 0;
  return z
    .string()
    .refine((v) => length(v) <= max, `must be at most ${max} characters`)
    .refine((v) => length(v) >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
}

/** Text that must not be empty, of at most `max` characters. */
export const requiredText = (max: number): z.ZodType<string> => text(max, { min: 1 });

/** An id chosen by a ProjectFlo service: a UUID. */
export const uuid = z.string().uuid();

/** An id the task-engine takes from its callers (a subject, an assignee): 1-128 characters. */
export const id = requiredText(128);

/** Who did it: the user of the command's access token (its `sub`), or a service's own identity (`system:task-engine`); 1-128 characters. */
export const actor = requiredText(128);

/** An ISO-8601 instant with an offset (the domains write UTC, `…Z`), within 0001-01-01..9999-12-31. */
export const instant = z
  .string()
  .datetime({ offset: true })
  .pipe(
    z.string().refine((v) => {
      const ms = Date.parse(v);
      return ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
    }, 'must be within 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999Z'),
  );

/** A calendar date `YYYY-MM-DD` that exists (2024-02-30 does not). */
export const calendarDate = z.string().date();

/** An IANA time zone name such as Europe/Paris. */
export const timezone = requiredText(64);

/** A list of at most `max` items. */
export const list = <Item extends z.ZodTypeAny>(item: Item, max: number) => z.array(item).max(max, `must have at most ${max} items`).readonly();

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Any JSON value (finite numbers only). */
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** A JSON object of at most `maxBytes` bytes as UTF-8 JSON. */
export function jsonObject(maxBytes: number): z.ZodType<JsonObject> {
  return z
    .record(z.string(), jsonValue)
    .refine((v) => new TextEncoder().encode(JSON.stringify(v)).length <= maxBytes, `must be at most ${maxBytes} bytes as JSON`);
}
