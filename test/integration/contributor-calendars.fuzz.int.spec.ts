import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT, type ServiceName } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { Caller, freePort, relayedEvent, TestTopics, waitForActiveMember } from '@projectflo/platform/testing';
import { SchedulingAppModule } from '../../apps/scheduling/src/app.module';
import { schedulingConsumerGroups } from '../../apps/scheduling/src/testing/scheduling.test-support';
import { formatCounts, runCampaign } from '../e2e/fuzz/campaign';
import { IdPool } from '../e2e/fuzz/id-pool';
import { FUZZ_DIR, unexplainedStatuses } from '../e2e/fuzz/platform-fuzz';
import { type FuzzTenant, RequestGenerator } from '../e2e/fuzz/request-generator';
import { loadRpcCatalog } from '../e2e/fuzz/rpc-catalog';

// The platform fuzzer's generated requests (plausible, at and past every bound, chaos, raw bytes,
// hostile metadata) aimed at the contributor calendar RPCs only, against scheduling in-process on
// real Postgres and Kafka, with calendars that hold entries and conflicts: no INTERNAL or UNKNOWN,
// and no status the platform campaign would not explain (unexplainedStatuses).

const CALENDAR_RPCS = ['BookCalendarEntry', 'MoveCalendarEntry', 'CancelCalendarEntry', 'ListCalendarEntries', 'ListCalendarConflicts', 'GetCalendarFeed'];
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_130);
const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 1_500);

const run = randomBytes(4).toString('hex');
const schema = `sch_calfz_${run}`;
const topics = new TestTopics(`${schema}.`);

describe(`contributor calendar RPCs under ${REQUESTS} fuzzed requests (seed ${SEED})`, () => {
  let running: RunningService<unknown>;
  let producer: Producer;
  let pool: Pool;
  const tenants: FuzzTenant[] = [0, 1].map(() => ({ tenantId: randomUUID(), ownerId: randomUUID() }));

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
    producer = topics.client(`sch-calfz-${run}`).producer();
    await producer.connect();
    running = await bootstrapGrpcService({
      ...grpcServerContract('scheduling'),
      appModule: SchedulingAppModule,
      env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `sch-calfz-${run}`, LOG_LEVEL: 'error' },
    });
    for (const { tenantId, ownerId } of tenants) {
      const added = crmOrganizationEventsV1.userAddedV1(tenantId, ownerId, 'Owner', new Date().toISOString());
      await producer.send({ topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, messages: [relayedEvent('crm', `organization-${tenantId}`, tenantId, 'UserAdded', added)] });
    }
    for (const { tenantId, ownerId } of tenants) await waitForActiveMember(running, tenantId, ownerId, 'Owner');
  }, 180_000);

  afterAll(async () => {
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(schedulingConsumerGroups(schema));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  }, 60_000);

  it('answers every request itself, never INTERNAL or UNKNOWN', async () => {
    const ids = new IdPool();
    const contract = GRPC_CONTRACTS['scheduling'];
    const client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    try {
      // Each owner's calendar holds a double booking and an absence under it, so moves and cancels reach real entries.
      for (const [index, { tenantId, ownerId }] of tenants.entries()) {
        const owner = new Caller(tenantId, ownerId);
        ids.add(index, 'user', ownerId);
        for (const [hour, entryType] of [[9, 'CALENDAR_ENTRY_TYPE_PROJECT_ASSIGNMENT'], [10, 'CALENDAR_ENTRY_TYPE_PERSONAL'], [8, 'CALENDAR_ENTRY_TYPE_ABSENCE']] as const) {
          const start = Date.UTC(2027, 5, 5, hour) / 1000;
          const booked = await callUnary<{ entry: { entryId: string } }>(
            client,
            'BookCalendarEntry',
            { contributorId: ownerId, entryType, title: `Fixture ${hour}`, time: { start: { seconds: String(start) }, end: { seconds: String(start + 7_200) } } },
            owner.command(),
          );
          ids.add(index, 'calendarEntry', booked.entry.entryId);
        }
      }
    } finally {
      client.close();
    }

    const rpcs = loadRpcCatalog().filter((rpc) => rpc.service === 'scheduling' && CALENDAR_RPCS.includes(rpc.method));
    expect(rpcs.map((rpc) => rpc.method).sort()).toEqual([...CALENDAR_RPCS].sort());
    const campaign = await runCampaign({
      generator: new RequestGenerator({ seed: SEED, rpcs, tenants, pool: ids, now: new Date() }),
      pool: ids,
      requests: REQUESTS,
      concurrency: 4,
      addresses: { scheduling: running.url } as Record<ServiceName, string>,
      failureFile: join(FUZZ_DIR, `calendars-seed-${SEED}-${run}`, 'failures.jsonl'),
    });
    process.stdout.write(`calendar RPCs, ${REQUESTS} requests in ${campaign.durationMs} ms, by status:\n${formatCounts(campaign.counts)}\n`);

    expect(campaign.failures.map((f) => `${f.method} ${f.mode} ${f.label.slice(0, 80)}: ${f.code} ${f.details}`)).toEqual([]);
    // What the platform campaign explains (a body over 4 MiB, an outage) is allowed; nothing else.
    expect(unexplainedStatuses({ campaign }).map((t) => `${t.method} ${t.mode} ${t.label.slice(0, 80)}: ${t.code} from the ${t.origin}, ${t.details}`)).toEqual([]);
    // The campaign reached past validation: some calls succeeded and some were refused as they should be.
    expect(campaign.counts['scheduling']?.['OK']).toBeGreaterThan(0);
    expect(campaign.counts['scheduling']?.['INVALID_ARGUMENT']).toBeGreaterThan(0);
  }, 600_000);
});
