import { z, type ZodTypeAny } from 'zod';
import { isTimestampInstant } from './timestamps';
import { text, validate } from './zod-validation';

// Keyset paging over (instant, id): a page token names the last row returned, so rows inserted
// while a client pages never shift or repeat what it sees.

/** The shape of projectflo.common.v1.PageRequest as it arrives from the gRPC loader. */
export interface PageRequestLike {
  readonly pageSize?: number | null;
  readonly pageToken?: string | null;
}

/**
 * The one page-size rule of every list (written in common.proto): 0 means DEFAULT_PAGE_SIZE, a
 * larger request is served MAX_PAGE_SIZE items, a negative one is INVALID_ARGUMENT.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Longer than any token a list returns. */
export const MAX_PAGE_TOKEN_LENGTH = 512;

export interface PageCursor {
  /** The sort instant of the last row of the previous page. */
  readonly at: Date;
  readonly id: string;
}

export interface PageWindow<Cursor = PageCursor> {
  readonly size: number;
  readonly after?: Cursor;
}

const INVALID_TOKEN = 'is not a token this list returned';

/**
 * The PageRequest field of a list request with its cursor decoded by `cursor` (the zod schema of
 * the JSON the list put in its tokens): `{ size, after? }`, or violations on `page_size` and
 * `page_token`.
 */
export function pageRequest<Cursor extends ZodTypeAny>(cursor: Cursor): z.ZodType<PageWindow<z.output<Cursor>>, z.ZodTypeDef, unknown> {
  const token = z
    .string()
    .max(MAX_PAGE_TOKEN_LENGTH, INVALID_TOKEN)
    .transform((text, ctx): z.output<Cursor> | undefined => {
      if (text === '') return undefined;
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      } catch {
        decoded = undefined;
      }
      const parsed = cursor.safeParse(decoded);
      if (parsed.success) return parsed.data as z.output<Cursor>;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: INVALID_TOKEN });
      return z.NEVER;
    });
  const page = z.object({
    pageSize: z.number().int().min(0, 'must not be negative'),
    pageToken: token,
  });
  return page.nullish().transform((value): PageWindow<z.output<Cursor>> => {
    const requested = value?.pageSize ?? 0;
    const size = requested === 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    const after = value?.pageToken;
    return after === undefined ? { size } : { size, after };
  });
}

/** What a token may name: an instant a Timestamp can hold and a row id as the text rule allows. */
const instantCursor = z
  .object({ at: z.string().datetime({ offset: true }).refine(isTimestampInstant), id: text(128, { required: true }) })
  .transform((c): PageCursor => ({ at: new Date(c.at), id: c.id }));

/** The PageRequest of a list keyset-paged on (instant, id). */
export const instantPage = pageRequest(instantCursor);

/** The token naming `cursor` (any JSON value; Dates become ISO instants): what `pageRequest` decodes. */
export function encodePageToken(cursor: unknown): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** The size and starting point a PageRequest asks for (null when the client sent none). */
export function pageWindow(page: PageRequestLike | null | undefined): PageWindow {
  return validate(instantPage, page, { prefix: 'page' });
}

/** Splits the `size + 1` rows a query fetched into the page and the token of the next one. */
export function toPage<T>(rows: readonly T[], window: { readonly size: number }, cursorOf: (row: T) => unknown): { items: T[]; nextPageToken: string } {
  const items = rows.slice(0, window.size);
  const last = items[items.length - 1];
  return { items, nextPageToken: rows.length > window.size && last !== undefined ? encodePageToken(cursorOf(last)) : '' };
}
