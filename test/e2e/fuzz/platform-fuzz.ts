import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRPC_CONTRACTS, SERVICE_NAMES, type ServiceName } from '@projectflo/contracts';
import { deriveId } from '@projectflo/platform/core';
import { createPgPool } from '@projectflo/platform/event-store';
import { checkHealth, MAX_MESSAGE_BYTES } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { Caller, eventually, TestIssuer } from '@projectflo/platform/testing';
import { ServiceProcess } from '../support/service-process';
import { untilAdmitted } from '../support/users';
import { type CampaignResult, type FailureRecord, formatCounts, runCampaign, type TransportRecord } from './campaign';
import { IdPool } from './id-pool';
import { compareWithRebuild, REBUILDABLE_READ_MODELS, type ReadModelComparison, readModelMatches } from './read-model-check';
import { type FuzzTenant, RequestGenerator } from './request-generator';
import { loadRpcCatalog } from './rpc-catalog';

const ROOT = join(__dirname, '..', '..', '..');
/** Failure records of every campaign go under here, one folder per run. */
export const FUZZ_DIR = join(ROOT, '.infra', 'fuzz');

export interface PlatformFuzzOptions {
  readonly seed: number;
  readonly requests: number;
  readonly concurrency?: number;
  readonly tenants?: number;
  readonly log?: (line: string) => void;
}

export interface ProcessCheck {
  readonly service: ServiceName;
  readonly running: boolean;
  readonly health: string;
}

/** INTERNAL/UNKNOWN answers that share a cause: the service's logged error (or the answer's text). */
export interface FailureGroup {
  readonly service: ServiceName;
  readonly cause: string;
  readonly count: number;
  /** Distinct "Method mode label" of the requests that got it, most frequent first (at most 8). */
  readonly examples: readonly string[];
  /** Sequence numbers of a few of them, to find them in the failure file. */
  readonly seqs: readonly number[];
}

/** Requests that got one status with one cause (grpc-js's or the service's text, numbers aside). */
export interface TransportGroup {
  readonly origin: TransportRecord['origin'];
  readonly code: string;
  readonly details: string;
  readonly count: number;
  /** "mode kind…" of the requests (the field paths left out), most frequent first. */
  readonly inputClasses: readonly string[];
  /** A few of the requests in full. */
  readonly samples: readonly TransportRecord[];
}

export interface PlatformFuzzReport {
  readonly seed: number;
  readonly runId: string;
  readonly failureFile: string;
  readonly campaign: CampaignResult;
  readonly failureGroups: readonly FailureGroup[];
  readonly transportGroups: readonly TransportGroup[];
  readonly processes: readonly ProcessCheck[];
  readonly readModels: readonly ReadModelComparison[];
  /** Error-level log lines of the run per service and message (consumers, relays, workers too). */
  readonly errorLog: readonly { readonly service: ServiceName; readonly message: string; readonly count: number }[];
}

/**
 * The whole campaign against the platform as it runs: the five services as real processes on
 * their own schemas, task queues and topics, a small fixture per fuzz tenant (organization, users,
 * pipeline, contacts, leads, templates, tasks) so requests reach real aggregates, `requests`
 * generated requests, then the checks: every process alive and SERVING, every read model equal
 * to a rebuild from its event store.
 */
export async function runPlatformFuzz(options: PlatformFuzzOptions): Promise<PlatformFuzzReport> {
  const log = options.log ?? (() => undefined);
  const runId = randomBytes(4).toString('hex');
  const failureFile = join(FUZZ_DIR, `seed-${options.seed}-${runId}`, 'failures.jsonl');
  // Schemas, task queues and topics of its own: nothing another run (or a running platform) does reaches it.
  // The services (child processes) trust the tokens of this process's test issuer.
  TestIssuer.shared();
  const services = await Promise.all(SERVICE_NAMES.map((name) => ServiceProcess.create(name, runId, { KAFKA_TOPIC_PREFIX: `fuzz-${runId}.` })));
  const byName = Object.fromEntries(services.map((s) => [s.service, s])) as Record<ServiceName, ServiceProcess>;
  const pgPool = createPgPool(databaseUrlFromEnv(), { application_name: 'fuzz-campaign', max: 2 });
  try {
    log(`fuzz run ${runId}, seed ${options.seed}: starting ${SERVICE_NAMES.join(', ')}`);
    await Promise.all(services.map((s) => s.start()));

    const pool = new IdPool();
    const tenants: FuzzTenant[] = Array.from({ length: options.tenants ?? 3 }, () => {
      const tenantId = randomUUID();
      // The owner is the user who registers the organization: a user id (a UUID) of its tenant.
      return { tenantId, ownerId: deriveId('fuzz-owner', tenantId) };
    });
    for (const [index, tenant] of tenants.entries()) await setUpTenant(byName, pool, index, tenant);
    log(`fixture ready for ${tenants.length} tenants; sending ${options.requests} requests`);

    const generator = new RequestGenerator({ seed: options.seed, rpcs: loadRpcCatalog(), tenants, pool, now: new Date() });
    const step = Math.max(1, Math.floor(options.requests / 10));
    const campaign = await runCampaign({
      generator,
      pool,
      requests: options.requests,
      concurrency: options.concurrency ?? 16,
      addresses: Object.fromEntries(services.map((s) => [s.service, s.address])) as Record<ServiceName, string>,
      failureFile,
      onProgress: (done) => done % step === 0 && log(`${done}/${options.requests} answered`),
    });
    log(`${options.requests} requests ended in ${campaign.durationMs} ms; checking processes and read models`);

    const processes = await Promise.all(services.map(checkProcess));
    const readModels: ReadModelComparison[] = [];
    for (const model of REBUILDABLE_READ_MODELS) {
      readModels.push(await compareWithRebuild(pgPool, databaseUrlFromEnv(), byName[model.service].schema, model));
    }
    return {
      seed: options.seed,
      runId,
      failureFile,
      campaign,
      failureGroups: groupFailures(campaign.failures, byName),
      transportGroups: groupTransport(campaign.transport),
      processes,
      readModels,
      errorLog: services.flatMap(errorLogOf),
    };
  } finally {
    for (const s of services) s.close();
    await Promise.all(services.map((s) => s.stop()));
    await pgPool.end();
  }
}

async function checkProcess(s: ServiceProcess): Promise<ProcessCheck> {
  const health = s.running ? await checkHealth(s.address, GRPC_CONTRACTS[s.service].fullServiceName, 5_000).catch((e: Error) => `unreachable: ${e.message}`) : 'exited';
  return { service: s.service, running: s.running, health };
}

/**
 * What every fuzz tenant owns before the campaign: two users, a three-status pipeline, contacts
 * and leads, an event type, templates on a status and on the event type, and the tasks a status
 * change and an external event expand into.
 */
async function setUpTenant(svc: Record<ServiceName, ServiceProcess>, pool: IdPool, index: number, tenant: FuzzTenant): Promise<void> {
  const owner = new Caller(tenant.tenantId, tenant.ownerId);
  const call = async <T>(service: ServiceName, method: string, request: unknown): Promise<T> => {
    const response = await svc[service].call<T>(method, request, owner.command());
    pool.harvest(index, response);
    return response;
  };
  const crm = <T>(method: string, request: unknown) => call<T>('crm', method, request);
  const tasks = <T>(method: string, request: unknown) => call<T>('task-engine', method, request);

  await crm('RegisterOrganization', { name: `Fuzz Studio ${index}`, timezone: 'Europe/London', ownerName: 'Fuzz Owner', ownerEmail: `owner@fuzz${index}.example` });
  // The other services learn the owner from crm's events; until then they refuse the owner's calls.
  await Promise.all((['task-engine', 'scheduling', 'notifications'] as const).map((name) => untilAdmitted(svc[name], () => owner.query())));
  for (const name of ['Avery', 'Sam']) {
    await crm('AddUser', { name, email: `${name.toLowerCase()}@fuzz${index}.example`, role: 'USER_ROLE_MEMBER' });
  }
  const statuses: string[] = [];
  for (const name of ['New', 'Contacted', 'Booked']) {
    statuses.push((await crm<{ leadStatus: { statusId: string } }>('DefineLeadStatus', { name })).leadStatus.statusId);
  }
  const leads: string[] = [];
  for (const name of ['Priya', 'Jo']) {
    const contact = await crm<{ contact: { contactId: string } }>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: name, lastName: 'Fuzz', email: `${name.toLowerCase()}@fuzz${index}.example` });
    const lead = await crm<{ lead: { leadId: string } }>('CaptureLead', { contactId: contact.contact.contactId, statusId: statuses[0], eventDate: '2027-06-12', source: 'website' });
    leads.push(lead.lead.leadId);
  }
  // The task-engine learns the owner from crm's events; until then it refuses the owner's calls.
  await eventually(() => tasks('ListEventTypes', {}), () => true, { what: `the task-engine to know tenant ${index}'s owner`, timeoutMs: 60_000 });
  await tasks('DefineEventType', { eventType: 'fuzz.booked', name: 'Booked', subjectDateFields: ['event_date'] });
  const contacted = { leadStatusId: statuses[1] };
  const afterTrigger = { days: 2, anchor: 'DUE_ANCHOR_TRIGGER_TIME' };
  await tasks('CreateTaskTemplate', { template: { key: 'call', trigger: contacted, name: 'Call', dueOffset: afterTrigger, checklistItems: [{ itemKey: 'dial', title: 'Dial' }] } });
  await tasks('CreateTaskTemplate', { template: { key: 'follow-up', trigger: contacted, name: 'Follow up', dueOffset: afterTrigger, dependsOn: ['call'] } });
  const prepare = await tasks<{ template: { templateId: string } }>('CreateTaskTemplate', {
    template: { key: 'prepare', trigger: { eventType: 'fuzz.booked' }, name: 'Prepare', dueOffset: { days: -1, anchor: 'DUE_ANCHOR_SUBJECT_DATE', anchorField: 'event_date' } },
  });
  // A component task recipe on it, so recipe requests reach a real recipe book.
  await tasks('DefineComponentRecipe', { recipe: { recipeId: randomUUID(), name: 'Film edit', deliverableId: 'film', templateIds: [prepare.template.templateId] } });
  await eventually(
    () => tasks<{ templates: unknown[] }>('ListTemplatesByTrigger', { trigger: contacted }),
    (r) => (r.templates ?? []).length === 2,
    { what: `tenant ${index}'s templates to be visible`, timeoutMs: 60_000 },
  );
  await eventually(
    () => tasks<{ templates: unknown[] }>('ListTemplatesByTrigger', { trigger: { eventType: 'fuzz.booked' } }),
    (r) => (r.templates ?? []).length === 1,
    { what: `tenant ${index}'s event template to be visible`, timeoutMs: 60_000 },
  );
  for (const leadId of leads) await crm('ChangeLeadStatus', { leadId, toStatusId: statuses[1] });
  await tasks('IngestExternalEvent', {
    eventType: 'fuzz.booked',
    subjectId: leads[0],
    payloadJson: JSON.stringify({ event_date: '2027-06-12' }),
    occurredAt: { seconds: String(Math.floor(Date.now() / 1000)) },
    idempotencyKey: randomUUID(),
  });
  await eventually(
    () => tasks<{ tasks: unknown[] }>('ListTasks', { page: { pageSize: 50 } }),
    (r) => (r.tasks ?? []).length >= 5,
    { what: `tenant ${index}'s expanded tasks`, timeoutMs: 90_000 },
  );
  // Scheduling and notifications: a reminder policy, two overlapping bookings (a conflict), a rule.
  await call('scheduling', 'SetReminderPolicy', { policy: { offsets: ['P3D', 'P1D'], outsideWorkingTime: 'OUTSIDE_WORKING_TIME_FIRE_ANYWAY', overdueAfter: 'P1D' } });
  const day = (hour: number) => ({ seconds: String(Math.floor(Date.UTC(2027, 5, 12, hour) / 1000)) });
  for (const [title, from, to] of [['Wedding', 9, 17], ['Portraits', 15, 18]] as const) {
    await call('scheduling', 'BookCalendarEntry', { contributorId: tenant.ownerId, entryType: 'CALENDAR_ENTRY_TYPE_PROJECT_ASSIGNMENT', title, time: { start: day(from), end: day(to) }, timezone: 'Europe/London' });
  }
  await call('notifications', 'DefineNotificationRule', {
    rule: { name: 'Due soon', trigger: 'NOTIFICATION_TRIGGER_REMINDER_DUE', channel: 'NOTIFICATION_CHANNEL_IN_APP', recipients: [{ kind: 'RECIPIENT_KIND_ASSIGNEE' }], subject: 'Due: {{task.name}}', body: '{{task.name}} is due {{task.dueAt}}' },
  });
  // build-ledger: a small catalog and an approved build with a pending change order, so catalog,
  // build and change-order requests reach real items, lines and orders.
  await eventually(() => svc['build-ledger'].call('ListCatalogItems', {}, owner.query()), () => true, { what: `build-ledger to admit tenant ${index}'s owner`, timeoutMs: 60_000 });
  const ledger = <T>(method: string, request: unknown) => call<T>('build-ledger', method, request);
  const usd = (amount: string) => ({ currency: 'USD', amount });
  const itemId = async (request: object) => (await ledger<{ item: { itemId: string } }>('UpsertCatalogItem', request)).item.itemId;
  const scene = await itemId({ name: 'Ceremony', coverageScene: {} });
  const operator = await itemId({ name: 'Videographer', operatorType: { pricing: 'OPERATOR_PRICING_HOURLY', rate: usd('95.00') } });
  const usb = await itemId({ name: 'USB keepsake', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_PER_UNIT', price: usd('19.99'), active: true } });
  const style = await itemId({ name: 'Cinematic', editingStyle: { ratePerMinute: usd('12.50'), requirements: [{ billableItemId: usb, quantity: '1' }] } });
  const film = await itemId({ name: 'Highlight film', deliverable: { price: usd('1200.00'), defaultComponents: [{ sceneId: scene, editingStyleId: style, targetMinutes: 4, included: true }] } });
  const build = await ledger<{ build: { buildId: string } }>('CreateBuild', { leadId: leads[0], name: 'Fuzz wedding', currency: 'USD', eventDate: '2027-06-12' });
  const buildId = build.build.buildId;
  await ledger('ConfigureBuild', {
    buildId,
    changes: [{ addCoverage: { sceneId: scene, operatorTypeId: operator, quantity: 2, hours: '8' } }, { addDeliverable: { deliverableId: film } }, { addBillableItem: { billableItemId: usb, quantity: '2' } }],
  });
  await ledger('ApproveBuild', { buildId });
  await ledger('ProposeChangeOrder', { buildId, baseVersion: 1, description: 'One more keepsake', changes: [{ addBillableItem: { billableItemId: usb, quantity: '1' } }], discount: { kind: 'DISCOUNT_KIND_PERCENT', percent: '5', reason: 'fuzz' } });
  // The build's ledger: an issued invoice with a card payment (overpaid: customer credit) and a pending transfer, so
  // invoice, payment, refund and credit requests reach real ones.
  const invoice = await ledger<{ invoiceId: string }>('DraftInvoice', { buildId, lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Deposit', unitPrice: usd('500.00'), quantity: '1', taxable: true }], taxRatePercent: '8.25', dueDate: '2027-01-31' });
  await ledger('IssueInvoice', { buildId, invoiceId: invoice.invoiceId });
  await ledger('RecordPayment', { buildId, invoiceId: invoice.invoiceId, externalTransactionId: `fuzz-card-${buildId}`, method: 'PAYMENT_METHOD_CARD', amount: usd('550.00') });
  await ledger('RecordPayment', { buildId, invoiceId: invoice.invoiceId, externalTransactionId: `fuzz-wire-${buildId}`, method: 'PAYMENT_METHOD_BANK_TRANSFER', amount: usd('10.00') });
  await ledger('RecordExpense', { buildId, category: 'travel', amount: usd('42.00') });
}

interface LoggedError {
  readonly message: string;
}

/** The error-level lines of a service's log: by request id (handler failures) and all of them. */
function readErrorLog(s: ServiceProcess): { byRequestId: Map<string, LoggedError>; all: LoggedError[] } {
  const byRequestId = new Map<string, LoggedError>();
  const all: LoggedError[] = [];
  if (!existsSync(s.logFile)) return { byRequestId, all };
  for (const line of readFileSync(s.logFile, 'utf8').split('\n')) {
    if (!line.includes('"level":"error"') && !line.includes('"level":"fatal"')) continue;
    let entry: { msg?: string; requestId?: string; err?: { message?: string; type?: string }; error?: string; reason?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const cause = entry.err?.message ?? entry.error ?? entry.reason ?? '';
    const logged = { message: `${entry.msg ?? ''}${cause ? `: ${cause}` : ''}`.slice(0, 300) };
    all.push(logged);
    if (entry.requestId) byRequestId.set(entry.requestId, logged);
  }
  return { byRequestId, all };
}

/** Ids and numbers vary between occurrences of one cause; grouping ignores them. */
const normalize = (text: string) =>
  text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>').replace(/\b\d{3,}\b/g, '<n>');

function groupFailures(failures: readonly FailureRecord[], services: Record<ServiceName, ServiceProcess>): FailureGroup[] {
  const logs = new Map(SERVICE_NAMES.map((name) => [name, readErrorLog(services[name]).byRequestId]));
  const groups = new Map<string, { service: ServiceName; cause: string; count: number; examples: Map<string, number>; seqs: number[] }>();
  for (const f of failures) {
    const requestId = f.headers.find(([k]) => k === 'x-request-id')?.[1];
    const logged = requestId ? logs.get(f.service)?.get(requestId) : undefined;
    const cause = normalize(logged?.message ?? `(not logged) ${f.code}: ${f.details}`);
    const key = `${f.service}\u0000${cause}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { service: f.service, cause, count: 0, examples: new Map(), seqs: [] }));
    group.count++;
    const example = `${f.method} ${f.mode} ${f.label}`.trim();
    group.examples.set(example, (group.examples.get(example) ?? 0) + 1);
    if (group.seqs.length < 5) group.seqs.push(f.seq);
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count)
    .map((g) => ({
      service: g.service,
      cause: g.cause,
      count: g.count,
      examples: [...g.examples].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([e, n]) => (n > 1 ? `${e} (×${n})` : e)),
      seqs: g.seqs,
    }));
}

/** The kinds of hostile values in a request's label, without their field paths: "edge list:10000 string:len=1000". */
const inputClass = (r: TransportRecord) =>
  [r.mode, ...r.label.split(' ').filter(Boolean).map((part) => part.slice(part.indexOf('=') + 1))].join(' ').slice(0, 120);

function groupTransport(records: readonly TransportRecord[]): TransportGroup[] {
  const groups = new Map<string, { origin: TransportRecord['origin']; code: string; details: string; records: TransportRecord[] }>();
  for (const r of records) {
    const details = r.details.replace(/\d+(\.\d+)?/g, '<n>');
    const key = `${r.origin}\u0000${r.code}\u0000${details}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { origin: r.origin, code: r.code, details, records: [] }));
    group.records.push(r);
  }
  return [...groups.values()]
    .sort((a, b) => b.records.length - a.records.length)
    .map((g) => {
      const classes = new Map<string, number>();
      for (const r of g.records) classes.set(inputClass(r), (classes.get(inputClass(r)) ?? 0) + 1);
      return {
        origin: g.origin,
        code: g.code,
        details: g.details,
        count: g.records.length,
        inputClasses: [...classes].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c, n]) => `${c} (×${n})`),
        samples: g.records.slice(0, 5),
      };
    });
}

function errorLogOf(s: ServiceProcess): { service: ServiceName; message: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of readErrorLog(s).all) counts.set(normalize(e.message), (counts.get(normalize(e.message)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([message, count]) => ({ service: s.service, message, count }));
}

/** The words of the one UNAVAILABLE a service answers (grpc-error.mapper.ts): an infrastructure outage, retry with the same request id. */
const OUTAGE_ANSWER = /^a service this call needs is unavailable/;

/**
 * Statuses nothing explains: any the client made up (the service never answered: a dropped or
 * stalled connection, a refused stream, a deadline), UNAVAILABLE from a service that is not the
 * documented outage answer, RESOURCE_EXHAUSTED for a body within MAX_MESSAGE_BYTES.
 */
export function unexplainedStatuses(report: Pick<PlatformFuzzReport, 'campaign'>): readonly TransportRecord[] {
  return report.campaign.transport.filter(
    (r) =>
      r.origin === 'client' ||
      (r.code === 'UNAVAILABLE' && !OUTAGE_ANSWER.test(r.details)) ||
      (r.code === 'RESOURCE_EXHAUSTED' && r.bodyBytes <= MAX_MESSAGE_BYTES),
  );
}

/** Whether the campaign passed: no INTERNAL/UNKNOWN, no unexplained status, every process up and SERVING, read models equal their rebuilds. */
export function campaignPassed(report: PlatformFuzzReport): boolean {
  return (
    report.campaign.failures.length === 0 &&
    unexplainedStatuses(report).length === 0 &&
    report.processes.every((p) => p.running && p.health === 'SERVING') &&
    report.readModels.every(readModelMatches)
  );
}

/** The report as people read it: counts, failure groups, processes, read models, error log. */
export function formatReport(report: PlatformFuzzReport): string {
  const lines = [
    `seed ${report.seed} (replay: node -r @swc-node/register scripts/fuzz.ts --seed ${report.seed} --requests ${report.campaign.requests}), run ${report.runId}`,
    `${report.campaign.requests} requests in ${(report.campaign.durationMs / 1000).toFixed(1)} s; answered by the service, by status:`,
    formatCounts(report.campaign.counts),
    '',
    'not answered by the service (grpc-js made the status up — its deadline, a dropped connection, a refused or reset stream — or refused to send: NOT_SENT):',
    Object.keys(report.campaign.unanswered).length === 0 ? '  none' : formatCounts(report.campaign.unanswered),
    '',
    `UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED by cause: ${report.transportGroups.length === 0 ? 'none' : ''}`,
  ];
  for (const g of report.transportGroups) {
    lines.push(`  ${g.count} × ${g.code} from the ${g.origin}: ${g.details || '(no details)'}`);
    lines.push(`      inputs: ${g.inputClasses.join('; ')}`);
    for (const r of g.samples) {
      lines.push(`      seq ${r.seq} ${r.service} ${r.method} ${r.mode} ${r.label.slice(0, 200) || '(plausible)'} — ${r.bodyBytes} B body, sent at ${(r.sentAtMs / 1000).toFixed(1)} s, ended after ${r.elapsedMs} ms`);
    }
  }
  lines.push(
    '',
    `INTERNAL/UNKNOWN answers: ${report.campaign.failures.length}${report.campaign.failures.length > 0 ? ` (recorded in ${report.failureFile})` : ''}`,
  );
  for (const g of report.failureGroups) {
    lines.push(`  ${g.count} × ${g.service}: ${g.cause}  [seq ${g.seqs.join(', ')}]`);
    for (const e of g.examples) lines.push(`      ${e}`);
  }
  lines.push('', 'processes after the campaign:');
  for (const p of report.processes) lines.push(`  ${p.service.padEnd(14)} ${p.running ? 'running' : 'EXITED '}  health ${p.health}`);
  lines.push('', 'read models against a rebuild from the event store:');
  for (const r of report.readModels) {
    const verdict = r.rebuildError ? `REBUILD FAILED: ${r.rebuildError}` : r.differences.length === 0 ? 'equal' : `DIFFERENT in ${r.differences.map((d) => d.table).join(', ')}`;
    lines.push(`  ${r.service.padEnd(14)} ${r.rows} rows of ${r.tenants} tenants: ${verdict}`);
    for (const d of r.differences) {
      lines.push(`    ${d.table}: ${d.liveRows} live rows, ${d.rebuiltRows} rebuilt`);
      for (const row of d.onlyLive) lines.push(`      only live:    ${row}`);
      for (const row of d.onlyRebuilt) lines.push(`      only rebuilt: ${row}`);
    }
  }
  if (report.errorLog.length > 0) {
    lines.push('', 'error-level log lines of the run (service: count × message):');
    for (const e of report.errorLog.slice(0, 40)) lines.push(`  ${e.service}: ${e.count} × ${e.message}`);
  }
  return lines.join('\n');
}
