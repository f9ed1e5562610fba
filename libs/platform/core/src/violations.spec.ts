import { DomainError, DomainErrorCode } from './errors';
import { codePointLength, Violations } from './violations';

function failure(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('Violations', () => {
  it('collects every violation under the domain field names and throws them at once', () => {
    const v = new Violations();
    v.text('firstName', '', { max: 10, required: true });
    v.uuid('leadId', 'nope');
    v.oneOf('temperature', 'Tepid', ['Cold', 'Warm'] as const);
    const error = failure(() => v.throwIfAny());
    expect(error.code).toBe(DomainErrorCode.InvalidArgument);
    expect(error.fieldViolations).toEqual([
      { field: 'firstName', description: 'is required' },
      { field: 'leadId', description: 'must be a UUID' },
      { field: 'temperature', description: 'must be one of Cold, Warm' },
    ]);
    expect(error.message).toBe('firstName: is required; leadId: must be a UUID; temperature: must be one of Cold, Warm');
  });

  it('does not throw when nothing was violated', () => {
    const v = new Violations();
    expect(v.text('name', '  Ann  ', { max: 3, required: true })).toBe('Ann');
    expect(v.count).toBe(0);
    expect(() => v.throwIfAny()).not.toThrow();
  });

  it('counts length in code points, the one way lengths are counted', () => {
    expect(codePointLength('😀😀')).toBe(2);
    const v = new Violations();
    v.text('name', '😀😀', { max: 2 });
    expect(v.count).toBe(0);
    v.text('name', '😀😀😀', { max: 2 });
    expect(failure(() => v.throwIfAny()).fieldViolations).toEqual([{ field: 'name', description: 'must be at most 2 characters' }]);
  });

  it('treats unset, null and blank optional values as absent', () => {
    const v = new Violations();
    expect(v.optionalText('venue', '  ', { max: 5 })).toBeNull();
    expect(v.optionalUuid('campaignId', '')).toBeNull();
    expect(v.optionalDate('eventDate', null)).toBeNull();
    expect(v.optionalInstant('occurredAt', undefined)).toBeNull();
    expect(v.count).toBe(0);
  });

  it('checks dates, instants, zones, emails, patterns, integers and lists', () => {
    const v = new Violations();
    v.date('eventDate', '2025-02-30');
    expect(v.optionalInstant('occurredAt', '2025-06-11T16:00:00+02:00')).toBe('2025-06-11T14:00:00.000Z');
    v.optionalInstant('sentAt', '2025-06-11T14:00:00');
    expect(v.timezone('timezone', 'europe/paris')).toBe('Europe/Paris');
    expect(v.email('email', ' Ann@Example.COM ')).toBe('ann@example.com');
    v.email('backupEmail', 'not-an-address');
    v.text('key', 'Bad Key', { max: 20, pattern: /^[a-z-]+$/, patternDescription: 'must be lower case' });
    v.integer('position', -1, { min: 0 });
    v.uuidList('mentions', ['7b0f1c9e-5d7a-4a3e-9a55-0c1d2e3f4a5b', '7b0f1c9e-5d7a-4a3e-9a55-0c1d2e3f4a5b', 'x'], 5);
    expect(failure(() => v.throwIfAny()).fieldViolations.map((f) => f.field)).toEqual([
      'eventDate',
      'sentAt',
      'backupEmail',
      'key',
      'position',
      'mentions[1]',
      'mentions[2]',
    ]);
  });

  it('takes an identifier chosen elsewhere as it is: bounded, without whitespace, never trimmed', () => {
    const v = new Violations();
    expect(v.identifier('subjectId', 'booking-1', 10)).toBe('booking-1');
    expect(v.count).toBe(0);
    v.identifier('assigneeId', ' user-1', 10);
    v.identifier('userId', '   ', 10);
    v.identifier('statusId', 42, 10);
    v.identifier('leadId', '😀'.repeat(11), 10);
    expect(failure(() => v.throwIfAny()).fieldViolations).toEqual([
      { field: 'assigneeId', description: 'must not contain whitespace' },
      { field: 'userId', description: 'is required' },
      { field: 'statusId', description: 'must be a string' },
      { field: 'leadId', description: 'must be at most 10 characters' },
    ]);
  });

  it('keeps text exactly as given when its rule says trim: false', () => {
    const v = new Violations();
    expect(v.text('idempotencyKey', ' form 1 ', { max: 8, required: true, trim: false })).toBe(' form 1 ');
    v.text('idempotencyKey', ' form 1 ', { max: 7, trim: false });
    expect(failure(() => v.throwIfAny()).fieldViolations).toEqual([{ field: 'idempotencyKey', description: 'must be at most 7 characters' }]);
  });
});
