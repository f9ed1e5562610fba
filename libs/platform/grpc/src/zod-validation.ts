import { DomainError, type FieldViolation } from '@projectflo/platform/core';
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

const toSnake = (segment: string) => segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** "templates[0].due_offset.days" from zod's ['templates', 0, 'dueOffset', 'days']. */
export function fieldPath(path: readonly (string | number)[], options: ValidationOptions = {}): string {
  const segments: (string | number)[] = options.prefix ? [options.prefix, ...path] : [...path];
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out === '' ? '' : '.') + (options.fieldCase === 'typescript' ? segment : toSnake(segment));
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
  const shape = { [key]: z.string().uuid('must be a UUID') } as Record<Key, z.ZodString>;
  return z.object(shape);
}
