import { inspect } from 'node:util';
import { REDACTED } from './redaction';

/**
 * A secret value (a channel password, an OAuth token) that never prints: JSON, string
 * conversion, template literals and `util.inspect` (console.log, loggers) all give `[redacted]`.
 * Only `reveal()` hands out the value, at the one place it is used (an HTTP header, a client's
 * options), so a search for `reveal(` lists every use.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
