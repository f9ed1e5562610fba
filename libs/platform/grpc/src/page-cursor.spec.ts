import { DomainError } from '@projectflo/platform/core';
import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, encodePageToken, pageRequest, pageWindow, toPage } from './page-cursor';
import { validate } from './zod-validation';

describe('page cursor', () => {
  const at = new Date('2026-11-20T10:00:00.123Z');

  it('defaults and caps the page size', () => {
    expect(pageWindow(null)).toEqual({ size: DEFAULT_PAGE_SIZE });
    expect(pageWindow({ pageSize: 0, pageToken: '' })).toEqual({ size: DEFAULT_PAGE_SIZE });
    expect(pageWindow({ pageSize: 5000, pageToken: '' })).toEqual({ size: MAX_PAGE_SIZE });
  });

  it('round-trips the cursor of the last row through the token, to the millisecond', () => {
    const rows = [{ at, id: 'b' }, { at, id: 'a' }, { at, id: 'z' }];
    const page = toPage(rows, { size: 2 }, (row) => row);
    expect(page.items.map((r) => r.id)).toEqual(['b', 'a']);
    expect(pageWindow({ pageSize: 2, pageToken: page.nextPageToken }).after).toEqual({ at, id: 'a' });
  });

  it('gives no token on the last page', () => {
    expect(toPage([{ at, id: 'a' }], { size: 2 }, (row) => row).nextPageToken).toBe('');
  });

  it.each([
    ['not base64 json', 'bm90IGpzb24'],
    ['a bad instant', Buffer.from(JSON.stringify({ at: 'yesterday', id: 'a' })).toString('base64url')],
    ['no id', encodePageToken({ at, id: 'a' }).slice(0, 10)],
    ['a NUL in its id', encodePageToken({ at, id: 'a\u0000b' })],
    ['an instant a Timestamp cannot hold', encodePageToken({ at: '0000-01-01T00:00:00Z', id: 'a' })],
  ])('rejects a token with %s as INVALID_ARGUMENT on page.page_token', (_, pageToken) => {
    const attempt = () => pageWindow({ pageSize: 1, pageToken });
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(expect.objectContaining({ fieldViolations: [{ field: 'page.page_token', description: 'is not a token this list returned' }] }));
  });

  it("decodes a list's own cursor shape with the same size rule", () => {
    const schema = pageRequest(z.object({ d: z.string(), id: z.string() }));
    const token = encodePageToken({ d: 'infinity', id: 't-1' });
    expect(validate(schema, { pageSize: 500, pageToken: token }, { prefix: 'page' })).toEqual({ size: MAX_PAGE_SIZE, after: { d: 'infinity', id: 't-1' } });
    expect(() => validate(schema, { pageSize: 1, pageToken: encodePageToken({ at: 'x' }) }, { prefix: 'page' })).toThrow(
      expect.objectContaining({ fieldViolations: [{ field: 'page.page_token', description: 'is not a token this list returned' }] }),
    );
  });

  it('rejects a negative page size', () => {
    expect(() => pageWindow({ pageSize: -1, pageToken: '' })).toThrow(expect.objectContaining({ fieldViolations: [expect.objectContaining({ field: 'page.page_size' })] }));
  });
});
