import { isRedactedName, REDACTED, redactSetting, redactText, redactValue } from './redaction';

describe('redactText', () => {
  it.each([
    ['postgres://projectflo:s3cret@127.0.0.1:55432/projectflo', `postgres://${REDACTED}@127.0.0.1:55432/projectflo`],
    ['connect failed: postgres://u:p@ss/w0rd@db:5432/x (timeout)', `connect failed: postgres://${REDACTED}@db:5432/x (timeout)`],
    ['Authorization: Bearer abc.DEF-123_x', `Authorization: Bearer ${REDACTED}`],
    ['basic dXNlcjpwYXNz', `basic ${REDACTED}`],
    ['token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl was refused', `token ${REDACTED} was refused`],
    ['a user with email Ana.Lima+work@studio.example.co.uk already exists', `a user with email ${REDACTED} already exists`],
  ])('masks %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves text without credentials alone', () => {
    expect(redactText('a bearer token is required')).toBe('a bearer token is required');
    expect(redactText('lead l-1 moved to Booked; see http://127.0.0.1:8233/namespaces')).toBe(
      'lead l-1 moved to Booked; see http://127.0.0.1:8233/namespaces',
    );
  });
});

describe('isRedactedName', () => {
  it.each(['password', 'refresh_token', 'accessToken', 'Authorization', 'clientSecret', 'apiKey', 'email', 'contactEmail', 'name', 'firstName', 'phone', 'body', 'TEMPORAL_PAYLOAD_KEYS'])(
    '%s is redacted',
    (name) => expect(isRedactedName(name)).toBe(true),
  );

  it.each(['tenantId', 'leadId', 'statusId', 'topic', 'service', 'errorName', 'context'])('%s is kept', (name) => {
    expect(isRedactedName(name)).toBe(false);
  });
});

describe('redactValue', () => {
  it('replaces redacted fields at any depth and scrubs strings, keeping ids', () => {
    const value = { tenantId: 't-1', lead: { id: 'l-1', name: 'Zelda Q', email: 'z@example.test', notes: [{ body: 'private' }] }, url: 'amqp://a:b@h' };
    expect(redactValue(value)).toEqual({
      tenantId: 't-1',
      lead: { id: 'l-1', name: REDACTED, email: REDACTED, notes: REDACTED },
      url: `amqp://${REDACTED}@h`,
    });
  });

  it('serializes errors with their message, stack, fields and cause scrubbed', () => {
    const cause = new Error('auth failed for postgres://app:pw@db/x');
    const error = Object.assign(new Error('Bearer abcdef rejected', { cause }), { code: 'E_AUTH', password: 'pw' });
    const redacted = redactValue(error) as Record<string, unknown>;
    expect(redacted).toMatchObject({ type: 'Error', message: `Bearer ${REDACTED} rejected`, code: 'E_AUTH', password: REDACTED });
    expect(redacted['cause']).toMatchObject({ message: `auth failed for postgres://${REDACTED}@db/x` });
    expect(JSON.stringify(redacted)).not.toMatch(/abcdef|:pw@/);
  });
});

describe('redactSetting', () => {
  it.each([
    ['postgres://app:pa ss@db:5432/x', `postgres://${REDACTED}@db:5432/x`],
    ['postgres://app:p@ss/w@db:port/x', `postgres://${REDACTED}@db:port/x`],
    ['app:secret@db:5432', `${REDACTED}@db:5432`],
    ['mysql://x', 'mysql://x'],
  ])('masks the credentials of %s', (value, shown) => {
    expect(redactSetting('DATABASE_URL', value)).toBe(shown);
  });

  it('never shows a variable with a secret name', () => {
    expect(redactSetting('TEMPORAL_PAYLOAD_KEYS', 'k1:abc')).toBe(REDACTED);
    expect(redactSetting('SMTP_PASSWORD', 'hunter2')).toBe(REDACTED);
  });
});
