import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { z } from 'zod';
import { fieldPath, validate } from './zod-validation';

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
