import { Writable } from 'node:stream';
import { JsonLogger } from './json-logger';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with service, level word, message and fields', () => {
    const out = capture();
    const logger = JsonLogger.create({ service: 'crm', destination: out.stream, fields: { region: 'local' } });
    logger.info('lead captured', { tenantId: 't1', leadId: 'l1' });
    const [line] = out.lines();
    expect(line).toMatchObject({ service: 'crm', region: 'local', level: 'info', msg: 'lead captured', tenantId: 't1', leadId: 'l1' });
    expect(typeof line?.['time']).toBe('string');
  });

  it('takes Nest-style calls: context last, stack before it for errors', () => {
    const out = capture();
    const logger = JsonLogger.create({ service: 'crm', destination: out.stream });
    logger.log('Mapped routes', 'RoutesResolver');
    logger.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped routes', context: 'RoutesResolver' }),
      expect.objectContaining({ level: 'error', msg: 'boom', context: 'ExceptionsHandler', stack: 'Error: boom\n    at x' }),
    ]);
  });

  it('honours the level and redacts secrets', () => {
    const out = capture();
    const logger = JsonLogger.create({ service: 'crm', level: 'warn', destination: out.stream });
    logger.info('hidden');
    logger.debug('hidden too');
    logger.warn('connection settings', { connection: { refreshToken: 'abc', host: 'x' } });
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.['connection']).toEqual({ refreshToken: '[redacted]', host: 'x' });
  });

  it('redacts personal data and credentials at any depth, in messages, errors and child fields', () => {
    const out = capture();
    const logger = JsonLogger.create({ service: 'crm', destination: out.stream }).child({ auth: { authorization: 'Bearer abc' } });
    const error = new Error('connect ECONNREFUSED postgres://projectflo:pw-42@127.0.0.1:55432/db');
    logger.error('lead update failed for postgres://u:pw-42@h/db', {
      err: error,
      lead: { leadId: 'l-1', name: 'Zelda Q', contact: { email: 'zelda@example.test', phone: '+1 555' } },
      note: { noteId: 'n-1', body: 'private words' },
      comment: { noteId: 'n-1', body: 'private words' },
      header: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln',
    });
    const line = out.lines()[0];
    const text = JSON.stringify(line);
    for (const leaked of ['pw-42', 'Zelda', 'zelda@', '+1 555', 'private words', 'eyJhbGci', 'Bearer abc']) expect(text).not.toContain(leaked);
    expect(line).toMatchObject({
      auth: { authorization: '[redacted]' },
      lead: { leadId: 'l-1', name: '[redacted]', contact: { email: '[redacted]', phone: '[redacted]' } },
      note: '[redacted]',
      comment: { noteId: 'n-1', body: '[redacted]' },
      header: 'Bearer [redacted]',
      err: { type: 'Error', message: 'connect ECONNREFUSED postgres://[redacted]@127.0.0.1:55432/db' },
    });
  });

  it('serializes errors passed as fields', () => {
    const out = capture();
    const logger = JsonLogger.create({ service: 'crm', destination: out.stream });
    logger.error('handler failed', { err: new Error('db down') });
    expect(out.lines()[0]?.['err']).toMatchObject({ type: 'Error', message: 'db down' });
  });
});
