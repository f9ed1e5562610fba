/** Structured fields attached to one log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The minimal logger every library accepts. Messages are constant strings; variable data goes in
 * fields, so logs can be searched by field (tenant, stream, request id) rather than by text.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything: the default for libraries whose caller passed none. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The fields that describe a caught error on a log line. */
export function errorFields(error: unknown): LogFields {
  return error instanceof Error ? { error: error.message, errorName: error.name } : { error: String(error) };
}

/** Injection token for the application's Logger (see JsonLogger). */
export const LOGGER = Symbol('projectflo.Logger');
