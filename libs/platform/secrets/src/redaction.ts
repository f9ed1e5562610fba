/** What a redacted value is replaced with, in log lines and error messages. */
export const REDACTED = '[redacted]';

/**
 * Field names whose values never reach a log line or an error message: credentials, and the
 * personal data of leads and users (a name, an email, a phone, a note's body). Compared without
 * case, `_` or `-`, so `refresh_token`, `refreshToken` and `Refresh-Token` are one name.
 */
const SECRET_NAMES = new Set(['password', 'passwd', 'secret', 'token', 'authorization', 'cookie', 'apikey', 'privatekey', 'credentials']);
const SECRET_SUFFIXES = ['password', 'secret', 'token', 'apikey', 'privatekey', 'keys'];
const PERSONAL_NAMES = new Set([
  'email', 'name', 'firstname', 'lastname', 'fullname', 'displayname', 'username', 'contactname', 'phone', 'phonenumber',
  'body', 'note', 'notes', 'notebody', 'text',
]);
const PERSONAL_SUFFIXES = ['email', 'phone'];

const normalize = (name: string): string => name.toLowerCase().replace(/[_\-\s]/g, '');

/** A field (or environment variable) whose value is a secret or personal data. */
export function isRedactedName(name: string): boolean {
  const key = normalize(name);
  return (
    SECRET_NAMES.has(key) ||
    PERSONAL_NAMES.has(key) ||
    SECRET_SUFFIXES.some((suffix) => key.endsWith(suffix)) ||
    PERSONAL_SUFFIXES.some((suffix) => key.endsWith(suffix))
  );
}

// `scheme://anything@` up to the last @ of the word: the user and password of a URL, even a
// malformed one whose password holds '@' or '/'. Over-masking a path is better than a leak.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s'"]*@/gi;
// The credential after an auth scheme; "a bearer token is required" names none.
const AUTH_SCHEME = /\b(Bearer|Basic)\s+(?!(?:token|tokens|header|auth|authentication|credentials?|scheme)\b)[A-Za-z0-9._~+/=-]+/gi;
// A JWS compact serialization: three base64url parts, the first a JSON header ("eyJ").
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

// An email address (personal data a domain message may quote, e.g. "a user with email … exists").
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Masks the credentials of URLs, bearer/basic credentials, JWTs and email addresses in free text. */
export function redactText(text: string): string {
  return text
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(EMAIL, REDACTED);
}

const MAX_DEPTH = 8;

/**
 * A copy of a value fit for a log line: fields with a redacted name are replaced, strings are
 * scrubbed with {@link redactText}, errors become `{ type, message, stack, code?, cause? }` with
 * their message and stack scrubbed (an error message may quote a connection string or a token).
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) return redactError(value, depth);
  if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = isRedactedName(key) ? REDACTED : redactValue(field, depth + 1);
  return copy;
}

function redactError(error: Error, depth: number): Record<string, unknown> {
  const extra = Object.fromEntries(Object.entries(error).filter(([key]) => key !== 'cause'));
  const serialized: Record<string, unknown> = {
    ...(redactValue(extra, depth + 1) as Record<string, unknown>),
    type: error.constructor.name,
    message: redactText(error.message),
  };
  if (error.stack !== undefined) serialized['stack'] = redactText(error.stack);
  if (error.cause !== undefined) serialized['cause'] = redactValue(error.cause, depth + 1);
  return serialized;
}

/**
 * A configuration value fit for an error message: a variable with a secret name is not shown at
 * all, and whatever precedes the last `@` (a URL's user and password, even in a URL too malformed
 * to parse, with spaces, '/' or '@' in its password) is masked.
 */
export function redactSetting(name: string, value: string): string {
  if (isRedactedName(name)) return REDACTED;
  const at = value.lastIndexOf('@');
  if (at < 0) return redactText(value);
  const scheme = value.indexOf('://');
  const start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
  return redactText(`${value.slice(0, start)}${REDACTED}${value.slice(at)}`);
}
