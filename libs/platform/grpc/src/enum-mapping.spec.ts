import { DomainError } from '@projectflo/platform/core';
import { z } from 'zod';
import { enumMapping } from './enum-mapping';
import { validate } from './zod-validation';

/** The shape ts-proto generates for a proto enum. */
enum Temperature {
  TEMPERATURE_UNSPECIFIED = 'TEMPERATURE_UNSPECIFIED',
  TEMPERATURE_COLD = 'TEMPERATURE_COLD',
  TEMPERATURE_HOT = 'TEMPERATURE_HOT',
  UNRECOGNIZED = 'UNRECOGNIZED',
}

const temperature = enumMapping(Temperature, { TEMPERATURE_COLD: 'Cold', TEMPERATURE_HOT: 'Hot' });
const request = z.object({ required: temperature.required, optional: temperature.optional });

function fields(value: unknown): string[] {
  try {
    validate(request, value);
  } catch (error) {
    if (error instanceof DomainError) return error.fieldViolations.map((v) => `${v.field}: ${v.description}`);
    throw error;
  }
  return [];
}

describe('enumMapping', () => {
  it('maps proto names to domain values at the edge, UNSPECIFIED of an optional field to undefined', () => {
    expect(validate(request, { required: 'TEMPERATURE_HOT', optional: 'TEMPERATURE_COLD' })).toEqual({ required: 'Hot', optional: 'Cold' });
    expect(validate(request, { required: 'TEMPERATURE_COLD', optional: 'TEMPERATURE_UNSPECIFIED' })).toEqual({ required: 'Cold', optional: undefined });
  });

  it('refuses an unknown name, and UNSPECIFIED where a value is required, as INVALID_ARGUMENT naming the field', () => {
    expect(fields({ required: 'TEMPERATURE_UNSPECIFIED', optional: 7 })).toEqual([
      'required: is required: one of TEMPERATURE_COLD, TEMPERATURE_HOT',
      'optional: must be one of TEMPERATURE_UNSPECIFIED, TEMPERATURE_COLD, TEMPERATURE_HOT',
    ]);
  });

  it('maps domain values back to proto names, an unknown one to UNSPECIFIED', () => {
    expect(temperature.toProto('Hot')).toBe(Temperature.TEMPERATURE_HOT);
    expect(temperature.toProto('Lukewarm')).toBe(Temperature.TEMPERATURE_UNSPECIFIED);
  });
});
