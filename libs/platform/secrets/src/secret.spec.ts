import { format, inspect } from 'node:util';
import { Secret } from './secret';

describe('Secret', () => {
  const secret = new Secret('hunter2-token');

  it('hands out its value only through reveal()', () => {
    expect(secret.reveal()).toBe('hunter2-token');
  });

  it('never prints: JSON, strings, templates, inspect and format all give [redacted]', () => {
    const printed = [
      JSON.stringify({ channel: { password: secret } }),
      String(secret),
      `${secret}`,
      'value: ' + secret,
      inspect({ nested: { secret } }),
      format('%s %o %j', secret, secret, { secret }),
    ];
    for (const text of printed) {
      expect(text).not.toContain('hunter2');
      expect(text).toContain('[redacted]');
    }
  });
});
