import { Enum, type Field, type FieldBase, Type } from 'protobufjs';
import { Caller, TestIssuer } from '@projectflo/platform/testing';
import { edgeEnum, edgeInt32, edgeInt64, edgeString, edgeTimestamp, type TimestampValue } from './edge-values';
import { idKindOf, type IdPool } from './id-pool';
import { Prng } from './prng';
import type { Rpc } from './rpc-catalog';

/**
 * How a request is hostile:
 * - valid: every field plausible (ids of the tenant's own aggregates where known);
 * - edge: one or two fields at or past a bound, the rest plausible, so a failure names its field;
 * - chaos: any field may be anything;
 * - raw: bytes that are not (quite) the request message;
 * - metadata: a plausible body under a missing, malformed, expired, forged or foreign token, or
 *   malformed request headers.
 */
export type FuzzMode = 'valid' | 'edge' | 'chaos' | 'raw' | 'metadata';

export interface FuzzRequest {
  /** Position in the campaign: with the seed, it determines the request (apart from harvested ids). */
  readonly seq: number;
  readonly rpc: Rpc;
  readonly mode: FuzzMode;
  /** What is hostile about it, e.g. "dueAt=timestamp:year 11476 (3e11 s)"; "" when nothing is. */
  readonly label: string;
  /** The fuzz tenant whose own, well-formed headers were sent (answers are harvested for it). */
  readonly tenant: number | undefined;
  /** Metadata in order; a key may repeat. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** The message as generated, long values abbreviated; undefined for raw bytes. */
  readonly message: unknown;
}

export interface FuzzTenant {
  readonly tenantId: string;
  /** The user who registered the organization: every well-formed request calls with their token. */
  readonly ownerId: string;
}

export interface GeneratorOptions {
  readonly seed: number;
  readonly rpcs: readonly Rpc[];
  readonly tenants: readonly FuzzTenant[];
  readonly pool: IdPool;
  /** The campaign's clock origin for plausible instants and dates. */
  readonly now: Date;
}

const MODES: readonly (readonly [number, FuzzMode])[] = [
  [3, 'valid'],
  [4, 'edge'],
  [1, 'chaos'],
  [1, 'raw'],
  [1, 'metadata'],
];
const TIMESTAMP = '.google.protobuf.Timestamp';
const MAX_DEPTH = 4;
const WORDS = ['alpha', 'studio', 'wedding', 'call', 'contract', 'venue', 'shoot', 'edit', 'deposit', 'album', 'review', 'brief'];
const ZONES = ['Europe/London', 'America/New_York', 'UTC', 'Asia/Tokyo', 'Europe/Berlin', 'Australia/Sydney'];

/**
 * Generates the requests of a campaign from the contracts alone: every RPC of every service is
 * equally likely, and request `seq` is drawn from `Prng(seed).fork(seq)`.
 */
export class RequestGenerator {
  private readonly root: Prng;
  /** Request ids of recent commands per tenant, to resend with different content. */
  private readonly recentRequestIds = new Map<number, string[]>();
  private readonly owners = new Map<number, Caller>();

  constructor(private readonly options: GeneratorOptions) {
    this.root = new Prng(options.seed);
  }

  generate(seq: number): FuzzRequest {
    const prng = this.root.fork(seq);
    const rpc = prng.pick(this.options.rpcs);
    const mode = prng.weighted(MODES);
    const tenant = prng.int(0, this.options.tenants.length - 1);
    const build = new MessageBuilder(prng, this.options, tenant, mode === 'edge' ? edgeTargets(prng, rpc.requestType) : mode === 'chaos' ? 'any' : []);
    const message = build.message(rpc.requestType, '', 0);
    const valid = Buffer.from(rpc.requestType.encode(message).finish());
    const headers = this.validHeaders(prng, tenant, rpc);
    const request = { seq, rpc, tenant: tenant as number | undefined, headers, message: abbreviate(message), body: valid };
    if (mode === 'raw') {
      const [label, body] = rawBody(prng, valid);
      return { ...request, mode, label, body, message: undefined };
    }
    if (mode === 'metadata') {
      const [label, hostile] = this.hostileHeaders(prng, tenant, headers, rpc);
      return { ...request, mode, label, headers: hostile, tenant: undefined };
    }
    return { ...request, mode, label: build.labels.join(' ') + (build.foreignIds ? ' +foreign-ids' : '') };
  }

  /** The owner of each tenant, with a token of the test issuer the services trust. */
  private owner(tenant: number): Caller {
    let caller = this.owners.get(tenant);
    if (caller === undefined) {
      const { tenantId, ownerId } = this.options.tenants[tenant]!;
      caller = new Caller(tenantId, ownerId);
      this.owners.set(tenant, caller);
    }
    return caller;
  }

  private validHeaders(prng: Prng, tenant: number, rpc: Rpc): [string, string][] {
    const requestId = prng.uuid();
    if (rpc.command) {
      const recent = this.recentRequestIds.get(tenant) ?? [];
      recent.push(requestId);
      if (recent.length > 50) recent.shift();
      this.recentRequestIds.set(tenant, recent);
    }
    const headers: [string, string][] = [...Object.entries(this.owner(tenant).command(requestId))];
    if (prng.chance(0.2)) headers.push(['x-correlation-id', prng.uuid()]);
    return headers;
  }

  private hostileHeaders(prng: Prng, tenant: number, valid: readonly [string, string][], rpc: Rpc): [string, [string, string][]] {
    const without = (key: string) => valid.filter(([k]) => k !== key);
    const replace = (key: string, value: string) => [...without(key), [key, value] as [string, string]];
    const issuer = TestIssuer.shared();
    const { tenantId, ownerId } = this.options.tenants[tenant]!;
    const other = (tenant + 1) % this.options.tenants.length;
    const bearer = (token: string) => TestIssuer.bearer(token).authorization;
    // No variant sends `authorization` twice: Node's HTTP/2 refuses to (a single-value header) and
    // drops the connection with every call on it; the gate's once-only rule has its unit test.
    const variants: (() => [string, [string, string][]])[] = [
      () => ['metadata:none', []],
      () => ['metadata:no authorization', without('authorization')],
      () => ['metadata:token garbage', replace('authorization', 'Bearer not-a-jwt')],
      () => ['metadata:authorization not bearer', replace('authorization', 'Basic b3duZXI6c2VjcmV0')],
      () => ['metadata:token expired', replace('authorization', bearer(issuer.expiredToken({ tenantId, userId: ownerId })))],
      () => ['metadata:token forged', replace('authorization', bearer(issuer.forgedToken({ tenantId, userId: ownerId })))],
      () => ['metadata:token wrong audience', replace('authorization', bearer(issuer.wrongAudienceToken({ tenantId, userId: ownerId })))],
      () => ['metadata:token of another tenant', replace('authorization', this.owner(other).query()['authorization']!)],
      () => ['metadata:token of an unknown user', replace('authorization', bearer(issuer.token({ tenantId, userId: prng.uuid() })))],
      () => ['metadata:x-tenant-id of another tenant (ignored)', [...valid, ['x-tenant-id', this.options.tenants[other]!.tenantId]]],
      () => ['metadata:no x-request-id', without('x-request-id')],
      () => ['metadata:request id 129 chars', replace('x-request-id', 'r'.repeat(129))],
      () => ['metadata:automation depth 99999', [...valid, ['x-automation-depth', '99999']]],
      () => ['metadata:automation depth -1', [...valid, ['x-automation-depth', '-1']]],
      () => ['metadata:correlation id 1000 chars', [...valid, ['x-correlation-id', 'c'.repeat(1000)]]],
    ];
    const reusable = this.recentRequestIds.get(tenant) ?? [];
    if (rpc.command) {
      // The newest entry is this request's own id; reuse an earlier command's (a fresh id while
      // there is none yet). Offered for every command whatever came before, so the variant a seed
      // picks never depends on earlier requests.
      variants.push(() => ['metadata:reused x-request-id, other content', replace('x-request-id', reusable.length > 1 ? prng.pick(reusable.slice(0, -1)) : prng.uuid())]);
    }
    return prng.pick(variants)();
  }
}

/** Builds one message, hostile at the targeted paths (or anywhere, for chaos). */
class MessageBuilder {
  readonly labels: string[] = [];
  foreignIds = false;

  constructor(
    private readonly prng: Prng,
    private readonly options: GeneratorOptions,
    private readonly tenant: number,
    private readonly targets: readonly string[] | 'any',
  ) {}

  message(type: Type, path: string, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const chosen = new Map<string, Field | undefined>();
    for (const oneof of type.oneofsArray) {
      if (oneof.name.startsWith('_')) continue; // proto3 `optional`: handled per field
      const forced = oneof.fieldsArray.find((f) => this.needs(join(path, f.name)));
      chosen.set(oneof.name, forced ?? (this.prng.chance(0.85) ? this.prng.pick(oneof.fieldsArray) : undefined));
    }
    for (const field of type.fieldsArray) {
      const p = join(path, field.name);
      const oneof = field.partOf;
      if (oneof && !oneof.name.startsWith('_') && chosen.get(oneof.name) !== field) {
        if (!(this.targets === 'any' && this.prng.chance(0.1))) continue;
        this.labels.push(`${p}=oneof:second member`);
      }
      if (oneof?.name.startsWith('_') && !this.needs(p) && this.prng.chance(0.5)) continue;
      const value = this.field(field, p, depth);
      if (value !== undefined) out[field.name] = value;
    }
    return out;
  }

  /** Whether the value at `path` must be hostile. */
  private hostile(path: string): boolean {
    return this.targets === 'any' ? this.prng.chance(0.4) : this.targets.includes(path);
  }

  /** Whether `path` is targeted or leads to a target (so it must be present). */
  private needs(path: string): boolean {
    return this.targets !== 'any' && this.targets.some((t) => t === path || t.startsWith(`${path}.`) || t.startsWith(`${path}[].`));
  }

  private field(field: Field, path: string, depth: number): unknown {
    if (field.map) return this.hostile(path) ? this.edgeMap(field, path) : this.validMap(field, path);
    if (field.repeated) {
      if (this.hostile(path)) return this.edgeList(field, path, depth);
      const count = this.needs(path) ? this.prng.int(1, 3) : this.prng.int(0, 3);
      return Array.from({ length: count }, () => this.element(field, `${path}[]`, depth, false));
    }
    return this.single(field, path, depth, this.hostile(path));
  }

  /** An element of a list or a map value: present even when it is a message (the wire has no "unset" element). */
  private element(field: FieldBase, path: string, depth: number, hostile: boolean): unknown {
    return this.single(field, path, depth, hostile) ?? {};
  }

  private single(field: FieldBase, path: string, depth: number, hostile: boolean): unknown {
    const type = field.resolvedType;
    if (type instanceof Enum) {
      const defined = Object.values(type.values);
      if (hostile) return this.edge(path, edgeEnum(this.prng, defined));
      const specified = defined.filter((v) => v !== 0);
      return this.prng.chance(0.1) || specified.length === 0 ? 0 : this.prng.pick(specified);
    }
    if (type instanceof Type) {
      if (type.fullName === TIMESTAMP) return hostile ? this.edge(path, edgeTimestamp(this.prng)) : this.validTimestamp();
      if (hostile) return this.prng.chance(0.5) ? this.edge(path, ['message:empty', {}]) : this.edge(path, ['message:unset', undefined]);
      if (depth >= MAX_DEPTH || (!this.needs(path) && this.prng.chance(0.1))) return undefined;
      return this.message(type, path, depth + 1);
    }
    switch (field.type) {
      case 'string':
        return hostile ? this.edge(path, edgeString(this.prng, field.name)) : this.validString(field.name);
      case 'int32':
        return hostile ? this.edge(path, edgeInt32(this.prng)) : this.validInt32(field.name);
      case 'int64':
        return hostile ? this.edge(path, edgeInt64(this.prng)) : this.validInt64(field.name);
      case 'bool':
        return this.prng.chance(0.5);
      default:
        throw new Error(`the fuzzer has no generator for ${field.type} (${path}); add one`);
    }
  }

  private edge<T>(path: string, [kind, value]: readonly [string, T]): T {
    this.labels.push(`${path}=${kind}`);
    return value;
  }

  private edgeList(field: Field, path: string, depth: number): unknown[] {
    const element = () => this.element(field, `${path}[]`, depth, false);
    const kind = this.prng.pick(['list:empty', 'list:1000', 'list:10000', 'list:200 duplicates', 'list:hostile elements']);
    this.labels.push(`${path}=${kind}`);
    switch (kind) {
      case 'list:empty':
        return [];
      case 'list:1000':
        return Array.from({ length: 1000 }, element);
      case 'list:10000':
        return Array.from({ length: field.resolvedType instanceof Type ? 2000 : 10_000 }, element);
      case 'list:200 duplicates': {
        const one = element();
        return Array.from({ length: 200 }, () => one);
      }
      default:
        return Array.from({ length: 3 }, () => this.element(field, `${path}[]`, depth, true));
    }
  }

  private validMap(field: FieldBase, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = this.prng.int(0, 3); i > 0; i--) out[this.slug()] = this.element(field, `${path}{}`, MAX_DEPTH, false);
    return out;
  }

  private edgeMap(field: FieldBase, path: string): Record<string, unknown> {
    const value = () => this.element(field, `${path}{}`, MAX_DEPTH, false);
    const kind = this.prng.pick(['map:1000 entries', 'map:20000 entries', 'map:empty key', 'map:100000-char key', 'map:NUL in key', 'map:hostile values']);
    this.labels.push(`${path}=${kind}`);
    const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value()]));
    switch (kind) {
      case 'map:1000 entries':
        return entries(1000);
      case 'map:20000 entries':
        return entries(20_000);
      case 'map:empty key':
        return { '': value() };
      case 'map:100000-char key':
        return { ['k'.repeat(100_000)]: value() };
      case 'map:NUL in key':
        return { 'a\u0000b': value() };
      default:
        return { a: this.element(field, `${path}{}`, MAX_DEPTH, true), b: this.element(field, `${path}{}`, MAX_DEPTH, true) };
    }
  }

  private validString(name: string): string {
    const kind = idKindOf(name);
    if (kind && kind !== 'version') {
      const known = this.options.pool.pick(this.prng, this.tenant, kind, this.options.tenants.map((_, i) => i).filter((i) => i !== this.tenant));
      if (known && this.prng.chance(0.9)) {
        if (known.foreign) this.foreignIds = true;
        return known.id;
      }
      if (kind === 'templateKey' || kind === 'item') return this.slug();
      if (kind === 'eventTypeKey') return `fuzz.${this.prng.pick(WORDS)}`;
      return this.prng.uuid();
    }
    if (name === 'email') return `${this.prng.pick(WORDS)}.${this.prng.int(0, 99_999)}@fuzz.example`;
    if (name === 'timezone') return this.prng.pick(ZONES);
    if (/date$|Date$|^workedOn$|^followUp(From|To)$|^holidays$/.test(name)) return this.validDate();
    if (name === 'hours') return this.prng.pick(['1', '0.5', '2.25', '8', '0.01', '24']);
    if (name === 'effortHours') return this.prng.pick(['', '1.5', '3']);
    if (name === 'payloadJson') return JSON.stringify({ event_date: this.validDate(), note: this.prng.pick(WORDS) });
    if (name === 'anchorField' || name === 'subjectDateFields') return 'event_date';
    if (name === 'status') return this.prng.pick(['Completed', 'scheduled', 'Failed', '']);
    if (name === 'idempotencyKey') return this.prng.uuid();
    if (name === 'pageToken') return '';
    return Array.from({ length: this.prng.int(1, 4) }, () => this.prng.pick(WORDS)).join(' ');
  }

  private validInt32(name: string): number {
    if (name === 'pageSize') return this.prng.int(0, 200);
    if (name === 'days') return this.prng.int(-30, 30);
    if (name === 'hours') return this.prng.int(0, 23);
    if (name === 'workingDays') return this.prng.int(1, 7);
    return this.prng.int(0, 5);
  }

  private validInt64(name: string): string {
    const known = idKindOf(name) === 'version' ? this.options.pool.pick(this.prng, this.tenant, 'version', []) : undefined;
    return known && this.prng.chance(0.5) ? known.id : String(this.prng.int(0, 6));
  }

  private validTimestamp(): TimestampValue {
    const seconds = Math.floor(this.options.now.getTime() / 1000) + this.prng.int(-30 * 86_400, 60 * 86_400);
    return { seconds: String(seconds), nanos: this.prng.int(0, 999) * 1_000_000 };
  }

  private validDate(): string {
    return new Date(this.options.now.getTime() + this.prng.int(-30, 400) * 86_400_000).toISOString().slice(0, 10);
  }

  private slug(): string {
    return `${this.prng.pick(WORDS)}-${this.prng.int(0, 99)}`;
  }
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Every path an edge value can go to (fields, list elements, nested fields), up to MAX_DEPTH. */
export function fieldPaths(type: Type, path = '', depth = 0): string[] {
  const out: string[] = [];
  for (const field of type.fieldsArray) {
    const p = join(path, field.name);
    out.push(p);
    const nested = field.resolvedType;
    if (nested instanceof Type && nested.fullName !== TIMESTAMP && !field.map && depth < MAX_DEPTH - 1) {
      out.push(...fieldPaths(nested, field.repeated ? `${p}[]` : p, depth + 1));
    }
  }
  return out;
}

/** One or two paths of the request to make hostile (none when the request has no fields). */
function edgeTargets(prng: Prng, type: Type): string[] {
  const paths = fieldPaths(type);
  if (paths.length === 0) return [];
  const targets = [prng.pick(paths)];
  if (paths.length > 1 && prng.chance(0.3)) targets.push(prng.pick(paths));
  return targets;
}

/** Bytes that are not (quite) the request: random, truncated, corrupted, oversized. */
function rawBody(prng: Prng, valid: Buffer): [string, Buffer] {
  const variants: (() => [string, Buffer])[] = [
    () => ['raw:12 × 0xff', Buffer.alloc(12, 0xff)],
    () => ['raw:random bytes', prng.bytes(prng.int(1, 64))],
    () => ['raw:truncated', valid.subarray(0, prng.int(0, Math.max(0, valid.length - 1)))],
    () => ['raw:trailing garbage', Buffer.concat([valid, prng.bytes(prng.int(1, 16))])],
    () => {
      const copy = Buffer.from(valid.length > 0 ? valid : Buffer.from([0x0a, 0x01, 0x41]));
      copy[prng.int(0, copy.length - 1)] = prng.int(0, 255);
      return ['raw:one byte changed', copy];
    },
    () => ['raw:field 1 as fixed32', Buffer.from([0x0d, 1, 2, 3, 4])],
    () => ['raw:length past the end', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x7f, 0x41])],
    () => ['raw:11-byte varint', Buffer.from([0x08, ...Array(10).fill(0xff), 0x01])],
    () => ['raw:unmatched start group', Buffer.from([0x0b, 0x0b, 0x0b, 0x0b])],
    () => ['raw:invalid UTF-8 in field 1', Buffer.from([0x0a, 0x04, 0xc3, 0x28, 0xff, 0xfe])],
    () => ['raw:unknown field 999', Buffer.concat([valid, Buffer.from([0xba, 0x3e, 0x03, 0x61, 0x62, 0x63])])],
    () => ['raw:empty body', Buffer.alloc(0)],
    () => (prng.chance(0.1) ? ['raw:5 MiB (over the 4 MiB limit)', Buffer.alloc(5 * 1024 * 1024, 0x41)] : ['raw:12 × 0x00', Buffer.alloc(12)]),
  ];
  return prng.pick(variants)();
}

/** The message for the failure record: strings over 200 characters and lists over 20 items shortened. */
function abbreviate(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 200 ? `«${value.length} chars: ${JSON.stringify(value.slice(0, 40))}…»` : value;
  if (Array.isArray(value)) return value.length > 20 ? [...value.slice(0, 5).map(abbreviate), `«… ${value.length} items»`] : value.map(abbreviate);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const kept = entries.slice(0, 20).map(([k, v]) => [abbreviate(k), abbreviate(v)] as const);
    if (entries.length > 20) kept.push([`«… ${entries.length} entries»`, '']);
    return Object.fromEntries(kept);
  }
  return value;
}
