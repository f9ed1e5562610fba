import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { z } from 'zod';
import {
  calendarDate,
  fieldPath,
  isCalendarDate,
  jsonCharacterViolation,
  list,
  optionalCalendarDate,
  optionalText,
  optionalUuid,
  presenceUuid,
  protoEnum,
  stringMap,
  text,
  textCharacterViolation,
  uuid,
  validate,
} from './zod-validation';

describe('validate', () => {
  const schema = z.object({
    leadId: z.string().uuid(),
    templates: z.array(z.object({ name: z.string().min(1, 'must not be empty'), dueOffset: z.object({ days: z.number().int() }) })),
  });

  it('returns the parsed value', () => {
    const value = { leadId: '1b4e28ba-2fa1-4d3b-9b7c-1f4b7a9c1e10', templates: [{ name: 'a', dueOffset: { days: 1 } }] };
    expect(validate(schema, value)).toEqual(value);
  });

  it('throws DomainError.invalid with proto field paths for every issue', () => {
    let error: unknown;
    try {
      validate(schema, { leadId: 'nope', templates: [{ name: 'ok', dueOffset: { days: 1 } }, { name: '', dueOffset: { days: 1.5 } }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect(domain.code).toBe(DomainErrorCode.InvalidArgument);
    expect(domain.fieldViolations.map((v) => v.field)).toEqual(['lead_id', 'templates[1].name', 'templates[1].due_offset.days']);
    expect(domain.message).toContain('templates[1].name: must not be empty');
  });

  it('formats paths with a prefix or TypeScript names', () => {
    expect(fieldPath(['name'], { prefix: 'lead' })).toBe('lead.name');
    expect(fieldPath(['templates', 0, 'dueOffset'], { fieldCase: 'typescript' })).toBe('templates[0].dueOffset');
    expect(fieldPath([])).toBe('(request)');
  });
});

describe('request field building blocks', () => {
  function fields(schema: Parameters<typeof validate>[0], value: unknown): string[] {
    try {
      validate(schema, value);
    } catch (error) {
      if (error instanceof DomainError) return error.fieldViolations.map((v) => `${v.field}: ${v.description}`);
      throw error;
    }
    return [];
  }

  it('bounds text and requires it when asked', () => {
    const schema = z.object({ name: text(5, { required: true }), note: text(3) });
    expect(validate(schema, { name: 'Maya', note: '' })).toEqual({ name: 'Maya', note: '' });
    expect(fields(schema, { name: ' ', note: 'long' })).toEqual(['name: is required', 'note: must be at most 3 characters']);
    expect(fields(z.object({ key: text(10, { pattern: /^[a-z]+$/, patternDescription: 'must be lower case' }) }), { key: 'A' })).toEqual(['key: must be lower case']);
  });

  it('counts text in code points, as the domains do', () => {
    const schema = z.object({ name: text(2) });
    expect(validate(schema, { name: '😀😀' })).toEqual({ name: '😀😀' });
    expect(fields(schema, { name: '😀😀😀' })).toEqual(['name: must be at most 2 characters']);
  });

  it('refuses U+0000 and unpaired surrogates in every text block, keeping other control characters', () => {
    const schema = z.object({ name: text(50), note: optionalText(50), metadata: stringMap(5, 10, 10), tags: list(text(10), 3) });
    const nul = 'must not contain the character U+0000 (NUL)';
    const surrogate = 'must be valid Unicode: no unpaired surrogate (U+D800..U+DFFF)';
    expect(fields(schema, { name: 'a\u0000b', note: '\u0000', metadata: { k: 'x\u0000' }, tags: ['\ud800'] })).toEqual([
      `name: ${nul}`,
      `note: ${nul}`,
      `metadata.k: ${nul}`,
      `tags[0]: ${surrogate}`,
    ]);
    expect(fields(schema, { name: '\udfff\ud800', metadata: { 'a\u0000b': 'x' } })).toEqual([`name: ${surrogate}`, `metadata: keys ${nul}`]);
    const kept = { name: 'tab\tline\nbell\u0007\u007f\u200b', note: '🎉 e\u0301', metadata: { '🎉': '\u0001' }, tags: ['\ud83c\udf89'] };
    expect(validate(schema, kept)).toEqual(kept);
  });

  it('finds a refused character anywhere in a JSON value, keys included', () => {
    expect(jsonCharacterViolation({ a: [1, null, { b: 'ok' }], c: '🎉' })).toBeUndefined();
    expect(jsonCharacterViolation(JSON.parse('{"a":[{"b":"x\\u0000"}]}'))).toBe('must not contain the character U+0000 (NUL)');
    expect(jsonCharacterViolation(JSON.parse('{"\\ud800":1}'))).toBe('must be valid Unicode: no unpaired surrogate (U+D800..U+DFFF)');
    expect(textCharacterViolation('plain')).toBeUndefined();
  });

  it('reads an optional string as undefined when unset', () => {
    expect(validate(z.object({ reason: optionalText(5) }), { reason: null })).toEqual({ reason: undefined });
    expect(fields(z.object({ reason: optionalText(5) }), { reason: 'too long' })).toEqual(['reason: must be at most 5 characters']);
  });

  it('bounds lists and maps, keys included', () => {
    expect(validate(z.object({ ids: list(z.string(), 2) }), { ids: null })).toEqual({ ids: [] });
    expect(fields(z.object({ ids: list(z.string(), 2) }), { ids: ['a', 'b', 'c'] })).toEqual(['ids: must have at most 2 items']);
    const metadata = stringMap(2, 3, 4);
    expect(validate(z.object({ metadata }), { metadata: { a: 'x' } })).toEqual({ metadata: { a: 'x' } });
    expect(fields(z.object({ metadata }), { metadata: { a: '1', b: '2', c: '3' } })).toEqual(['metadata: must have at most 2 entries']);
    expect(fields(z.object({ metadata }), { metadata: { long: 'x', a: 'value' } })).toEqual([
      'metadata.a: must be at most 4 characters',
      'metadata.long: keys must be at most 3 characters',
    ]);
  });

  it('accepts only calendar dates that exist', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2024-02-30')).toBe(false);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-2-3')).toBe(false);
    expect(fields(z.object({ workedOn: optionalCalendarDate }), { workedOn: '2024-02-30' })).toEqual(['worked_on: must be an existing date as YYYY-MM-DD, or empty']);
    expect(validate(z.object({ workedOn: optionalCalendarDate }), { workedOn: '' })).toEqual({ workedOn: '' });
    expect(fields(z.object({ day: calendarDate }), { day: '' })).toEqual(['day: must be an existing date as YYYY-MM-DD']);
  });

  it('accepts enum names the contract defines, and an unknown number never', () => {
    const Temperature = { UNSPECIFIED: 'T_UNSPECIFIED', COLD: 'T_COLD', HOT: 'T_HOT', UNRECOGNIZED: 'UNRECOGNIZED' } as const;
    const optional = z.object({ temperature: protoEnum(Temperature) });
    const required = z.object({ temperature: protoEnum(Temperature, { required: true }) });
    expect(validate(optional, { temperature: 'T_UNSPECIFIED' })).toEqual({ temperature: 'T_UNSPECIFIED' });
    expect(fields(optional, { temperature: 9 })).toEqual(['temperature: must be one of T_UNSPECIFIED, T_COLD, T_HOT']);
    expect(fields(optional, { temperature: 'UNRECOGNIZED' })).toHaveLength(1);
    expect(fields(required, { temperature: 'T_UNSPECIFIED' })).toEqual(['temperature: is required: one of T_COLD, T_HOT']);
    expect(validate(required, { temperature: 'T_HOT' })).toEqual({ temperature: 'T_HOT' });
  });

  it('reads proto3 ids: required UUIDs, empty or presence-optional ones as undefined', () => {
    const schema = z.object({ leadId: uuid, campaignId: optionalUuid, statusId: presenceUuid });
    const id = '1b4e28ba-2fa1-4d3b-9b7c-1f4b7a9c1e10';
    expect(validate(schema, { leadId: id, campaignId: '', statusId: null })).toEqual({ leadId: id, campaignId: undefined, statusId: undefined });
    expect(fields(schema, { leadId: 'x', campaignId: 'y', statusId: 'z' })).toEqual(['lead_id: must be a UUID', 'campaign_id: must be a UUID', 'status_id: must be a UUID']);
  });
});
