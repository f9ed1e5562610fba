/**
 * What reading your own write costs a client: a lead captured through crm's gRPC API, then read
 * back from crm's read model (fed by the relay, Kafka and the read-model consumer), against the
 * same query on a lead the read model already has.
 *
 * Run (infrastructure up, `source scripts/env.sh`):
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/read-your-writes.bench.ts
 * Env: BENCH_N reads per case (default 100), BENCH_CONCURRENCY clients in the concurrent group
 * (default 8), BENCH_POLL_MS the polling client's interval (default 20).
 *
 * Cases, each in a `sequential` and a `concurrent` group (latency = one GetLead, from the command's
 * reply to the answer that shows the lead):
 *   read model caught up   baseline: GetLead of a lead captured earlier (the read model has it)
 *   with the token         GetLead sending the CaptureLead reply's x-consistency-token: held at the
 *                          gate until the read-model consumer's inbox has the LeadCaptured
 *   polling                what a client without the token does: GetLead every BENCH_POLL_MS until
 *                          it is no longer NOT_FOUND (latency to the first answer that has it)
 * crm runs as its own OS process (a test/e2e ServiceProcess: own schema, topics, groups, port),
 * stopped and cleaned up at the end.
 */
import { randomBytes } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { crmV1 } from '@projectflo/contracts';
import { devKafkaCredentials, TestIssuer } from '@projectflo/platform/testing';
import { endRun, ServiceProcess } from '../test/e2e/support/service-process';
import { newTenant } from '../test/e2e/support/tenant';
import { printRatioTable } from './lib/ratio-table';
import { summarizeLatencies } from './lib/stats';
import { type BenchResult, forEachConcurrently, nowMs } from './lib/timing';
import { runMain } from './lib/run-main';

const N = Number(process.env['BENCH_N'] ?? 100);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const POLL_MS = Number(process.env['BENCH_POLL_MS'] ?? 20);
const WARMUP = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  TestIssuer.shared();
  if (!process.env['KAFKA_SASL_USERNAME']) Object.assign(process.env, devKafkaCredentials('admin'));
  const run = randomBytes(4).toString('hex');
  let crm: ServiceProcess | undefined;
  try {
    crm = await ServiceProcess.create('crm', run, { LOG_LEVEL: 'warn' });
    await crm.start();
    const service = crm;
    const t = newTenant();
    await service.call('RegisterOrganization', { name: 'Read Studio', timezone: 'UTC', ownerName: 'Owner', ownerEmail: `owner-${run}@bench.example` }, t.headers());
    await service.call('DefineLeadStatus', { name: 'New Inquiry' }, t.headers());
    const contact = await service.command<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Ada', email: `ada-${run}@bench.example` }, t.headers());
    const contactId = contact.response.contact!.contactId;
    const capture = () => service.command<crmV1.CaptureLeadResponse>('CaptureLead', { contactId, source: 'bench' }, t.headers());
    const getLead = (leadId: string, headers: Record<string, string>) => service.call<crmV1.GetLeadResponse>('GetLead', { leadId }, headers);
    // A lead the read model has: read it back with its token once, so it is there.
    const known = await capture();
    await getLead(known.response.lead!.leadId, t.readAfter(known.token));

    const cases: Record<string, (count: number, concurrency: number) => Promise<number[]>> = {
      'read model caught up': (count, concurrency) => timed(count, concurrency, async () => {
        const start = nowMs();
        await getLead(known.response.lead!.leadId, t.headers());
        return nowMs() - start;
      }),
      'with the token': (count, concurrency) => timed(count, concurrency, async () => {
        const { response, token } = await capture();
        const start = nowMs();
        const read = await getLead(response.lead!.leadId, t.readAfter(token));
        if (read.lead?.leadId !== response.lead!.leadId) throw new Error('the token read did not show the lead');
        return nowMs() - start;
      }),
      polling: (count, concurrency) => timed(count, concurrency, async () => {
        const { response } = await capture();
        const start = nowMs();
        for (;;) {
          try {
            await getLead(response.lead!.leadId, t.headers());
            return nowMs() - start;
          } catch (error) {
            if ((error as ServiceError).code !== status.NOT_FOUND) throw error;
            await sleep(POLL_MS);
          }
        }
      }),
    };
    const results: BenchResult[] = [];
    for (const [group, concurrency] of [['sequential', 1], ['concurrent', CONCURRENCY]] as const) {
      for (const [name, measure] of Object.entries(cases)) {
        await measure(WARMUP, concurrency); // warm-up, discarded
        const started = nowMs();
        const latencies = await measure(N, concurrency);
        const seconds = (nowMs() - started) / 1000;
        results.push({ name, group, concurrency, items: latencies.length, seconds, itemsPerSecond: latencies.length / seconds, latency: summarizeLatencies(latencies) });
      }
    }
    console.log(`read your writes: crm CaptureLead then GetLead, ${N} reads per case (+${WARMUP} warm-up), polling every ${POLL_MS} ms; run ${run}\n`);
    printRatioTable(results, { baseline: 'read model caught up', unit: 'reads' });
    console.log('\nlatency: from the CaptureLead reply to the GetLead answer that has the lead; "reads/s" counts whole cases (commands included, except in the baseline).');
  } finally {
    await endRun(run, crm ? [crm] : []);
  }
}

/** Runs `read` `count` times over `concurrency` clients; the latencies it reports. */
async function timed(count: number, concurrency: number, read: () => Promise<number>): Promise<number[]> {
  const latencies: number[] = [];
  await forEachConcurrently(count, concurrency, async () => {
    latencies.push(await read());
  });
  return latencies;
}

runMain(main);
