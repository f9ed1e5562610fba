import { DomainError } from '@projectflo/platform/core';

// Keyset paging over (instant, id): a page token names the last row returned, so rows inserted
// while a client pages never shift or repeat what it sees.

/** The shape of projectflo.common.v1.PageRequest as it arrives from the gRPC loader. */
export interface PageRequestLike {
  readonly pageSize?: number | null;
  readonly pageToken?: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageCursor {
  /** The sort instant of the last row of the previous page. */
  readonly at: Date;
  readonly id: string;
}

export interface PageWindow {
  readonly size: number;
  readonly after?: PageCursor;
}

function invalidToken(): DomainError {
  return DomainError.invalid({ field: 'page.page_token', description: 'is not a token this list returned' });
}

function decodeToken(token: string): PageCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  const candidate = parsed as { at?: unknown; id?: unknown } | null;
  if (typeof candidate?.at !== 'string' || typeof candidate.id !== 'string' || candidate.id.length === 0) throw invalidToken();
  const at = new Date(candidate.at);
  if (Number.isNaN(at.getTime())) throw invalidToken();
  return { at, id: candidate.id };
}

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id }), 'utf8').toString('base64url');
}

/** The size and starting point a PageRequest asks for (null when the client sent none). */
export function pageWindow(page: PageRequestLike | null | undefined): PageWindow {
  const requested = page?.pageSize ?? 0;
  if (requested < 0) throw DomainError.invalid({ field: 'page.page_size', description: 'must not be negative' });
  const size = requested === 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
  const token = page?.pageToken ?? '';
  return token === '' ? { size } : { size, after: decodeToken(token) };
}

/** Splits the `size + 1` rows a query fetched into the page and the token of the next one. */
export function toPage<T>(rows: readonly T[], window: PageWindow, cursorOf: (row: T) => PageCursor): { items: T[]; nextPageToken: string } {
  const items = rows.slice(0, window.size);
  const last = items[items.length - 1];
  return { items, nextPageToken: rows.length > window.size && last !== undefined ? encodePageToken(cursorOf(last)) : '' };
}
