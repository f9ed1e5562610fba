import type { Prng } from './prng';

/**
 * Values at and just past every bound the contracts state or imply, by wire type. Each comes
 * with a short kind ("string:len=100000", "timestamp:nanos=1e9") that names it in the campaign's
 * failure groups.
 */
export type Edge<T> = readonly [kind: string, value: T];

const LENGTHS = [1, 63, 64, 65, 127, 128, 129, 199, 200, 201, 255, 256, 257, 1000, 1001, 4096, 10_000, 100_000];

const DATE_LIKE = [
  '2024-02-30', '2023-02-29', '2024-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '0000-01-01', '0001-01-01',
  '9999-12-31', '10000-01-01', '-0001-01-01', '2024-1-5', '24-01-01', '2024-02-29T10:00:00Z', '2024/02/10', 'tomorrow',
];
const DECIMAL_LIKE = ['-1', '0', '0.00', '0.001', '24', '24.01', '25', '1e3', 'NaN', 'Infinity', '-0', ' 1', '1,5', '99999999999999999999999.99', '0x10'];
const ID_LIKE = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '../../etc/passwd', 'a b', 'id\u0000x', 'ID@EXAMPLE'];
const TEXT_LIKE = [
  '', ' ', '\t\n', 'a\u0000b', '\u0000', '\ud800', '\udfff\ud800', '\u202eevil', '\u200b', 'e\u0301\u0301\u0301', '🎉'.repeat(64),
  '\u0001\u001f\u007f', "'; DROP TABLE events; --", '%s%n%x', '${jndi:ldap://x}', '{"a":', 'Europe/Nowhere', 'UTC', '+05:00',
  'no-at-sign', 'a@b', 'SHOUT@EXAMPLE.COM', 'Completed', 'completed', 'COMPLETED', 'Unknown',
];
const JSON_LIKE = [
  '', '[]', 'null', '1', '"s"', '{', '{"event_date":"2024-02-30"}', '{"event_date":"+275760-09-13"}', '{"event_date":1e308}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`, JSON.stringify({ big: 'x'.repeat(100_000) }), '{"__proto__":{"polluted":true}}',
];

export function edgeString(prng: Prng, fieldName: string): Edge<string> {
  const dateField = /date$|Date$|^workedOn$|^followUp(From|To)$|^holidays$/.test(fieldName);
  const jsonField = /Json$/.test(fieldName);
  const numberField = /[hH]ours$/.test(fieldName);
  return prng.weighted<() => Edge<string>>([
    [3, () => {
      const n = prng.pick(LENGTHS);
      const unit = prng.pick(['x', 'é', '🎉']);
      return [`string:len=${n}${unit === 'x' ? '' : ` of ${unit}`}`, unit.repeat(n)];
    }],
    [3, () => pickKind('string', TEXT_LIKE)],
    [dateField ? 6 : 1, () => pickKind('date', DATE_LIKE)],
    [numberField ? 6 : 1, () => pickKind('decimal', DECIMAL_LIKE)],
    [jsonField ? 6 : 0.5, () => pickKind('json', JSON_LIKE)],
    [/Id$|Ids$/.test(fieldName) ? 4 : 1, () => pickKind('id', ID_LIKE)],
  ])();

  function pickKind(prefix: string, values: readonly string[]): Edge<string> {
    const value = prng.pick(values);
    return [`${prefix}:${JSON.stringify(value.length > 24 ? `${value.slice(0, 12)}…(${value.length})` : value)}`, value];
  }
}

export function edgeInt32(prng: Prng): Edge<number> {
  const value = prng.pick([0, -1, 1, 7, 8, 23, 24, 25, 200, 201, 3650, 3651, -3651, 1_000_000, 2 ** 31 - 1, -(2 ** 31)]);
  return [`int32:${value}`, value];
}

export function edgeInt64(prng: Prng): Edge<string> {
  const value = prng.pick(['0', '-1', '4294967296', '9007199254740993', '9223372036854775807', '-9223372036854775808']);
  return [`int64:${value}`, value];
}

/** Enum numbers the contract does not define (and UNSPECIFIED). */
export function edgeEnum(prng: Prng, defined: readonly number[]): Edge<number> {
  const value = prng.pick([0, Math.max(...defined) + 1, 9, 99, -1, 2 ** 31 - 1]);
  return [`enum:${value}`, value];
}

export interface TimestampValue {
  readonly seconds?: string;
  readonly nanos?: number;
}

/** google.protobuf.Timestamp: valid range is 0001-01-01T00:00:00Z ..= 9999-12-31T23:59:59.999999999Z. */
export function edgeTimestamp(prng: Prng): Edge<TimestampValue> {
  return prng.pick<Edge<TimestampValue>>([
    ['timestamp:year 11476 (3e11 s)', { seconds: '300000000000' }],
    ['timestamp:0001-01-01 (min)', { seconds: '-62135596800' }],
    ['timestamp:before 0001-01-01', { seconds: '-62135596801' }],
    ['timestamp:9999-12-31T23:59:59.999999999 (max)', { seconds: '253402300799', nanos: 999_999_999 }],
    ['timestamp:10000-01-01', { seconds: '253402300800' }],
    ['timestamp:int64 max s', { seconds: '9223372036854775807' }],
    ['timestamp:int64 min s', { seconds: '-9223372036854775808' }],
    ['timestamp:nanos=1e9', { seconds: '1700000000', nanos: 1_000_000_000 }],
    ['timestamp:nanos=-1', { seconds: '1700000000', nanos: -1 }],
    ['timestamp:nanos=int32 max', { seconds: '1700000000', nanos: 2 ** 31 - 1 }],
    ['timestamp:epoch (empty message)', {}],
    ['timestamp:1969-12-31T23:59:59', { seconds: '-1', nanos: 999_999_999 }],
  ]);
}
