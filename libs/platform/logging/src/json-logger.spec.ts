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

  it('serializes errors passed as fields', () => {
    const out = capture();
    const logger = JsonLogger.create({ service: 'crm', destination: out.stream });
    logger.error('handler failed', { err: new Error('db down') });
    expect(out.lines()[0]?.['err']).toMatchObject({ type: 'Error', message: 'db down' });
  });
});
