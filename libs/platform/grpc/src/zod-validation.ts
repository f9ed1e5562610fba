import { codePointLength, DomainError, type FieldViolation } from '@projectflo/platform/core';
import { DateTime, IANAZone } from 'luxon';
import { z, ZodError, type ZodTypeAny } from 'zod';

export interface ValidationOptions {
  /** Prepended to every field path, e.g. "lead" turns "name" into "lead.name". */
  readonly prefix?: string;
  /**
   * Field names as the .proto spells them (snake_case, the default: what API docs and grpcurl
   * users read), or as the TypeScript objects spell them (camelCase).
   */
  readonly fieldCase?: 'proto' | 'typescript';
}

/**
 * The proto name of a field path as the domain spells it: `dueOffset.days` → `due_offset.days`,
 * `mentions[2]` → `mentions[2]`. Domains name fields in their own (camelCase) language; the edge
 * maps them once, here, for zod issues and domain violations alike (toGrpcError).
 */
export function protoFieldName(domainPath: string): string {
  return domainPath.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** "templates[0].due_offset.days" from zod's ['templates', 0, 'dueOffset', 'days']. */
export function fieldPath(path: readonly (string | number)[], options: ValidationOptions = {}): string {
  const segments: (string | number)[] = options.prefix ? [options.prefix, ...path] : [...path];
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out === '' ? '' : '.') + (options.fieldCase === 'typescript' ? segment : protoFieldName(segment));
  }
  return out === '' ? '(request)' : out;
}

/** A DomainError.invalid listing every zod issue as a field violation. */
export function zodToDomainError(error: ZodError, options: ValidationOptions = {}): DomainError {
  const violations: FieldViolation[] = error.issues.map((issue) => ({
    field: fieldPath(issue.path, options),
    description: issue.message,
  }));
  return DomainError.invalid(violations);
}

/**
 * Validates a request (or any input) and returns the parsed value, or throws DomainError.invalid
 * (→ INVALID_ARGUMENT with a google.rpc.BadRequest) naming every bad field.
 */
export function validate<Schema extends ZodTypeAny>(schema: Schema, value: unknown, options: ValidationOptions = {}): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<Schema>;
  throw zodToDomainError(result.error, options);
}

export function isZodError(error: unknown): error is ZodError {
  return error instanceof ZodError;
}

/** The schema of a request that names one entity by UUID, e.g. `{ leadId }` of GetLeadRequest. */
export function idRequestSchema<Key extends string>(key: Key): z.ZodObject<Record<Key, z.ZodString>> {
  const shape = { [key]: uuid } as Record<Key, z.ZodString>;
  return z.object(shape);
}

/*
 * Building blocks of request schemas. Every field of every request goes through one of these, so
 * that a request either fits the contract (the bounds written beside each field in proto/) or is
 * answered INVALID_ARGUMENT naming the field; nothing the domain or a projection cannot store gets
 * past the edge.
 */

/** An entity id chosen by the server: a UUID. */
export const uuid = z.string().uuid('must be a UUID');

/** A proto3 string id that may be left empty ('' = absent): undefined, or a UUID. */
export const optionalUuid = z
  .string()
  .refine((v) => v === '' || uuid.safeParse(v).success, 'must be a UUID')
  .transform((v) => (v === '' ? undefined : v));

/** A proto3 `optional string` id: unset, null or '' = absent (undefined), or a UUID. */
export const presenceUuid = optionalUuid.nullish().transform((v) => v ?? undefined);

/*
 * The characters a string field may hold (the rule of common.proto): any Unicode text except
 * U+0000. PostgreSQL can store U+0000 neither in text nor (as its \u0000 escape) in jsonb, and an
 * unpaired surrogate (U+D800..U+DFFF without its partner) is no character at all: UTF-8 cannot
 * carry it and jsonb refuses its escape. Every other character, control characters such as tab
 * and line breaks included, is stored and read back unchanged, so it is accepted.
 */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` breaks the text rule above, or undefined when it keeps it. */
export function textCharacterViolation(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the character U+0000 (NUL)';
  if (UNPAIRED_SURROGATE.test(value)) return 'must be valid Unicode: no unpaired surrogate (U+D800..U+DFFF)';
  return undefined;
}

/** Why some string of a JSON value (object keys included) breaks the text rule, or undefined. */
export function jsonCharacterViolation(value: unknown): string | undefined {
  if (typeof value === 'string') return textCharacterViolation(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      const violation = jsonCharacterViolation(item);
      if (violation !== undefined) return violation;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const violation = textCharacterViolation(key) ?? jsonCharacterViolation(item);
      if (violation !== undefined) return violation;
    }
  }
  return undefined;
}

/** Adds the text rule's issue to a string schema (`.superRefine(keepsTextRule)`). */
export function keepsTextRule(value: string, ctx: z.RefinementCtx): void {
  const violation = textCharacterViolation(value);
  if (violation !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: violation });
}

export interface TextOptions {
  /** Empty or blank text is rejected with "is required". */
  readonly required?: boolean;
  readonly pattern?: RegExp;
  readonly patternDescription?: string;
}

/**
 * A string of at most `max` characters (code points, as the domains count: core's
 * codePointLength) that keeps the text rule: the one block every free-text string field of every
 * request goes through.
 */
export function text(max: number, options: TextOptions = {}): z.ZodType<string, z.ZodTypeDef, unknown> {
  let schema: z.ZodType<string, z.ZodTypeDef, unknown> = z
    .string()
    .refine((v) => codePointLength(v) <= max, `must be at most ${max} characters`)
    .superRefine(keepsTextRule);
  if (options.required) schema = schema.refine((v) => v.trim() !== '', 'is required');
  const { pattern } = options;
  if (pattern) schema = schema.refine((v) => v === '' || pattern.test(v), options.patternDescription ?? `must match ${pattern.source}`);
  return schema;
}

/** A proto3 `optional string`: undefined when unset (the loader gives undefined or null), else bounded text. */
export function optionalText(max: number, options: TextOptions = {}): z.ZodType<string | undefined, z.ZodTypeDef, unknown> {
  return text(max, options).nullish().transform((v) => v ?? undefined);
}

/** A repeated field of at most `max` items. */
export function list<Item extends ZodTypeAny>(item: Item, max: number): z.ZodType<z.output<Item>[], z.ZodTypeDef, unknown> {
  return z
    .array(item)
    .max(max, `must have at most ${max} items`)
    .nullish()
    .transform((v) => v ?? []);
}

/** A map<string, string> of at most `maxEntries` entries whose keys and values are bounded text. */
export function stringMap(maxEntries: number, maxKey: number, maxValue: number): z.ZodType<Record<string, string>, z.ZodTypeDef, unknown> {
  return z
    .record(text(maxValue))
    .superRefine((map, ctx) => {
      const keys = Object.keys(map);
      if (keys.length > maxEntries) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must have at most ${maxEntries} entries` });
      for (const key of keys) {
        if (codePointLength(key) > maxKey) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `keys must be at most ${maxKey} characters` });
        // Reported on the map, not under the key: a hostile key is not echoed back.
        const violation = textCharacterViolation(key);
        if (violation !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `keys ${violation}` });
      }
    })
    .nullish()
    .transform((v) => v ?? {});
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_RULE = 'must be an existing date as YYYY-MM-DD';

/** True for a "YYYY-MM-DD" that exists in the proleptic Gregorian calendar (2024-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromFormat(value, 'yyyy-MM-dd', { zone: 'utc' }).isValid;
}

/** A calendar date "YYYY-MM-DD" that exists. */
export const calendarDate = z.string().refine(isCalendarDate, DATE_RULE);

/** A proto3 date string that may be left empty: '' or an existing "YYYY-MM-DD". */
export const optionalCalendarDate = z.string().refine((v) => v === '' || isCalendarDate(v), `${DATE_RULE}, or empty`);

/** IANA zone names are at most ~32 characters. */
export const MAX_TIMEZONE_LENGTH = 64;

/** An IANA time zone such as Europe/Paris; with `optional`, '' is accepted too. */
export function ianaTimezone(options: { readonly optional?: boolean } = {}): z.ZodType<string, z.ZodTypeDef, unknown> {
  return z
    .string()
    .max(MAX_TIMEZONE_LENGTH, `must be at most ${MAX_TIMEZONE_LENGTH} characters`)
    .refine((v) => (options.optional === true && v === '') || IANAZone.isValidZone(v.trim()), 'must be an IANA time zone such as Europe/Paris');
}

const UNRECOGNIZED = 'UNRECOGNIZED';

/**
 * A proto enum as the loader decodes it (the value's name; an unknown number arrives as the
 * number). Only names the contract defines pass; with `required`, the *_UNSPECIFIED name (what an
 * unset field decodes to) is rejected too.
 */
export function protoEnum<Values extends string>(
  values: Readonly<Record<string, Values>>,
  options: { readonly required?: boolean } = {},
): z.ZodType<Values, z.ZodTypeDef, unknown> {
  const names = Object.values(values).filter((name) => name !== UNRECOGNIZED);
  const allowed = new Set<string>(options.required ? names.filter((name) => !name.endsWith('_UNSPECIFIED')) : names);
  const listed = [...allowed].join(', ');
  return z.custom<Values>((value) => typeof value === 'string' && allowed.has(value), {
    message: options.required ? `is required: one of ${listed}` : `must be one of ${listed}`,
  });
}
