/*
 * Usage — one table per enum, both directions, written once beside the context's other mappings:
 *
 *   export const leadTemperature = enumMapping(crmV1.LeadTemperature, {
 *     LEAD_TEMPERATURE_COLD: 'Cold', LEAD_TEMPERATURE_WARM: 'Warm', LEAD_TEMPERATURE_HOT: 'Hot',
 *   });
 *   const request = z.object({ temperature: leadTemperature.optional, type: communicationType.required });
 *   validate(request, body).temperature;      // 'Cold' | 'Warm' | 'Hot' | undefined (UNSPECIFIED)
 *   leadTemperature.toProto(row.temperature); // 'LEAD_TEMPERATURE_COLD'
 *
 * An unknown name (or, for `required`, the UNSPECIFIED one) is INVALID_ARGUMENT naming the field.
 */
import { z } from 'zod';
import { protoEnum } from './zod-validation';

type Unspecified = `${string}_UNSPECIFIED` | 'UNRECOGNIZED';

export interface EnumMapping<P extends string, D extends string> {
  /** Request block: a defined, specified name, as its domain value. */
  readonly required: z.ZodType<D, z.ZodTypeDef, unknown>;
  /** Request block: the UNSPECIFIED name (an unset field) as undefined, a defined name as its domain value. */
  readonly optional: z.ZodType<D | undefined, z.ZodTypeDef, unknown>;
  /** The proto name of a domain value; the UNSPECIFIED name for a value the table does not know. */
  toProto(value: D | string): P;
}

/**
 * Maps a generated proto enum (ts-proto string enum) to domain values by a table naming every
 * specified proto value once.
 */
export function enumMapping<P extends string, D extends string>(
  values: Readonly<Record<string, P>>,
  table: Readonly<Record<Exclude<P, Unspecified>, D>>,
): EnumMapping<P, D> {
  const toDomain = new Map<string, D>(Object.entries(table) as [string, D][]);
  const toProto = new Map<string, P>([...toDomain].map(([proto, domain]) => [domain, proto as P]));
  const unspecified = Object.values(values).find((name) => name.endsWith('_UNSPECIFIED'));
  if (unspecified === undefined) throw new Error(`enum ${Object.values(values).join(', ')} has no *_UNSPECIFIED value`);
  return {
    required: protoEnum(values, { required: true }).transform((name) => toDomain.get(name) as D),
    optional: protoEnum(values).transform((name) => toDomain.get(name)),
    toProto: (value) => toProto.get(value) ?? unspecified,
  };
}
