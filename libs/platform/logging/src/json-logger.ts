import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactText, redactValue } from '@projectflo/platform/secrets';
import type { LogFields, Logger } from './logger';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface JsonLoggerOptions {
  /** The service name stamped on every line, e.g. "crm". */
  readonly service: string;
  readonly level?: LogLevel;
  /** Fields stamped on every line. */
  readonly fields?: LogFields;
  /** Where lines go; stdout (synchronously, so nothing is lost on a crash) by default. */
  readonly destination?: DestinationStream;
}

/**
 * One JSON object per line (pino), with `service`, ISO `time`, `level` as a word, `msg` and the
 * fields. It is both the project's minimal Logger and NestJS's LoggerService, so Nest's own
 * messages (module init, routes) come out in the same format, with Nest's context as `context`.
 */
export class JsonLogger implements Logger, LoggerService {
  private constructor(private readonly pino: PinoLogger) {}

  static create(options: JsonLoggerOptions): JsonLogger {
    const instance = pino(
      {
        level: options.level ?? 'info',
        base: redactValue({ service: options.service, ...options.fields }) as LogFields,
        timestamp: pino.stdTimeFunctions.isoTime,
        // Every field, at any depth, goes through the redaction rules of platform/secrets: secret
        // and personal field names are replaced, credentials in text masked, errors serialized
        // with their message and stack scrubbed.
        formatters: {
          level: (label) => ({ level: label }),
          log: (fields) => redactValue(fields) as Record<string, unknown>,
        },
        // Instead of pino's own err serializer, which would see the already redacted error.
        serializers: { err: redactValue, error: redactValue },
      },
      options.destination ?? pino.destination({ dest: 1, sync: true }),
    );
    return new JsonLogger(instance);
  }

  /** A logger whose lines all carry these extra fields (e.g. a consumer's topic). */
  child(fields: LogFields): JsonLogger {
    return new JsonLogger(this.pino.child(redactValue(fields) as LogFields));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  info(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  /** NestJS: `log` is its info level. */
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  setLogLevels(levels: NestLogLevel[]): void {
    const order: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
    const mapped = levels.map((l): LogLevel => (l === 'log' ? 'info' : l === 'verbose' ? 'trace' : l));
    this.pino.level = order.find((l) => mapped.includes(l)) ?? 'silent';
  }

  /**
   * Our own calls are `(message, fields?)`. Nest calls `(message, ...optional)`, the last optional
   * being its context name and, for errors, the one before it a stack trace.
   */
  private write(level: Exclude<LogLevel, 'silent'>, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const strings: string[] = [];
    for (const param of params) {
      if (param instanceof Error) fields['err'] = param;
      else if (typeof param === 'string') strings.push(param);
      else if (typeof param === 'object' && param !== null) Object.assign(fields, param);
    }
    if (strings.length > 0) fields['context'] = strings[strings.length - 1];
    if (strings.length > 1) fields['stack'] = strings.slice(0, -1).join('\n');
    if (message instanceof Error) {
      fields['err'] = message;
      this.pino[level](fields, redactText(message.message));
    } else if (typeof message === 'string') {
      this.pino[level](fields, redactText(message));
    } else {
      this.pino[level]({ ...fields, payload: message }, typeof message);
    }
  }
}
