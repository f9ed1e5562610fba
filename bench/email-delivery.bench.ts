/**
 * Issue 9: email deliveries per second to the local SMTP server (Mailpit, scripts/infra.sh) through
 * the notifications service's SMTP channel adapter, against a bare nodemailer send loop in the same
 * run with the same concurrency (goal: >= 0.5x). Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/email-delivery.bench.ts
 * Flags (or env): --count / BENCH_COUNT messages per case (default 2000), --concurrency /
 * BENCH_CONCURRENCY sends in flight (default 10), --rounds (default 2: baseline, adapter,
 * baseline, adapter... so drift of the shared machine hits both). SMTP_HOST, SMTP_PORT and
 * MAILPIT_URL as scripts/env.sh exports them.
 *
 * Cases (a "message" is one accepted SMTP transaction; Mailpit is asked afterwards whether each arrived):
 *   bare nodemailer  baseline: one pooled nodemailer transport (5 connections, as the adapter pools)
 *                    and transport.sendMail of the same fields
 *   SmtpEmailAdapter the subject (apps/notifications/src/channels/smtp-email.adapter.ts): send() of an
 *                    OutboundMessage, with its address check, the tenant's credentials (a fixed
 *                    source: no tenant settings, the service's default sender), its transport cache,
 *                    Message-ID from the delivery id and failure classification
 * Groups: `plain` (subject, text, html) and `with .ics` (the same plus the due-date .ics attachment
 * of a reminder, built once by dueDateIcs and sent by both). Clean-up: every message carries the
 * run's tag in its subject; the bench deletes them from Mailpit by search at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createTransport } from 'nodemailer';
import type { OutboundAttachment, OutboundMessage } from '../apps/notifications/src/channels/channel-adapter';
import type { ChannelCredentialsSource } from '../apps/notifications/src/channels/channel-credentials';
import { dueDateIcs } from '../apps/notifications/src/channels/due-date-ics';
import { SmtpEmailAdapter } from '../apps/notifications/src/channels/smtp-email.adapter';
import { printRatioTable } from './lib/ratio-table';
import { runCase, type BenchResult } from './lib/timing';

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: process.env.BENCH_COUNT ?? '2000' },
    concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const COUNT = Number(flags.count);
const CONCURRENCY = Number(flags.concurrency);
const ROUNDS = Number(flags.rounds);
const WARMUP = 20;
/** The adapter's pool size (smtp-email.adapter.ts MAX_CONNECTIONS): the baseline pools the same. */
const POOL_CONNECTIONS = 5;
const SMTP = { host: process.env.SMTP_HOST ?? '127.0.0.1', port: Number(process.env.SMTP_PORT ?? 1025), secure: false };
const MAILPIT_URL = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
const FROM = 'ProjectFlo <notifications@projectflo.local>';
const BASELINE = 'bare nodemailer';
const SUBJECT = 'SmtpEmailAdapter';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Email {
  readonly deliveryId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly OutboundAttachment[];
}

/** How many of the run's messages (by the subject tag) Mailpit holds. */
async function mailpitCount(query: string): Promise<number> {
  const response = await fetch(`${MAILPIT_URL}/api/v1/search?limit=1&query=${encodeURIComponent(query)}`);
  if (!response.ok) throw new Error(`Mailpit search answered HTTP ${response.status}`);
  const body = (await response.json()) as { messages_count?: number; total?: number };
  return body.messages_count ?? 0;
}

async function mailpitDelete(query: string): Promise<void> {
  const response = await fetch(`${MAILPIT_URL}/api/v1/search?query=${encodeURIComponent(query)}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`Mailpit delete by search answered HTTP ${response.status}`);
}

async function waitForArrivals(query: string, expected: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const arrived = await mailpitCount(query);
    if (arrived >= expected || Date.now() > deadline) return arrived;
    await sleep(500);
  }
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const tag = `bench-email-${run}`;
  const tenantId = randomUUID();
  const to = `reader-${run}@bench.projectflo.local`;
  const ics = dueDateIcs({ taskId: randomUUID(), title: 'Deliver the final cut', dueAt: new Date(Date.now() + 3 * 86_400_000), stampedAt: new Date() });
  let sequence = 0;
  const email = (caseTag: string, withIcs: boolean): Email => {
    const n = ++sequence;
    return {
      deliveryId: `${run}-${n}`,
      to,
      subject: `[${tag}] [${caseTag}] Reminder: "Deliver the final cut" is due in 3 days (#${n})`,
      text: `Hello,\n\nthe task "Deliver the final cut" of lead Studio Nord is due on Thursday 3 December 2026 at 17:00.\n\nOpen it: https://app.projectflo.local/tasks/${n}\n`,
      html: `<p>Hello,</p><p>the task <b>Deliver the final cut</b> of lead Studio Nord is due on <b>Thursday 3 December 2026 at 17:00</b>.</p><p><a href="https://app.projectflo.local/tasks/${n}">Open it</a></p>`,
      attachments: withIcs ? [ics] : [],
    };
  };

  const transport = createTransport({ pool: true, maxConnections: POOL_CONNECTIONS, host: SMTP.host, port: SMTP.port, secure: SMTP.secure });
  const credentials: ChannelCredentialsSource = { forTenant: async () => ({ email: null, slack: null, sms: null }) };
  const adapter = new SmtpEmailAdapter(credentials, { smtp: SMTP, defaultFromAddress: FROM, timeoutMs: 10_000 });
  const sends: Record<string, (message: Email) => Promise<void>> = {
    [BASELINE]: async (m) => {
      const info = await transport.sendMail({
        from: FROM,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<${m.deliveryId}@bench.projectflo.local>`,
        attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
      if (info.rejected.length > 0) throw new Error('Mailpit rejected a recipient');
    },
    [SUBJECT]: async (m) => {
      const message: OutboundMessage = { deliveryId: m.deliveryId, tenantId, to: m.to, subject: m.subject, text: m.text, html: m.html, attachments: m.attachments };
      await adapter.send(message);
    },
  };

  const before = await mailpitCount(`subject:"${tag}"`);
  if (before !== 0) throw new Error(`Mailpit already holds ${before} messages tagged ${tag}`);
  console.log(
    `email delivery bench: ${COUNT} messages per case and round, ${CONCURRENCY} in flight, ${ROUNDS} rounds, SMTP ${SMTP.host}:${SMTP.port} (Mailpit ${MAILPIT_URL}), ` +
      `pooled ${POOL_CONNECTIONS} connections each; run tag ${tag}`,
  );
  const results: BenchResult[] = [];
  const arrivals: string[] = [];
  try {
    for (const [group, withIcs] of [
      ['plain', false],
      ['with .ics', true],
    ] as const) {
      for (let round = 1; round <= ROUNDS; round++) {
        for (const name of [BASELINE, SUBJECT]) {
          const caseTag = `${group} ${name} ${round}`;
          const messages = Array.from({ length: WARMUP + COUNT }, () => email(caseTag, withIcs));
          const send = sends[name];
          results.push(
            await runCase({
              name,
              group: ROUNDS > 1 ? `${group} r${round}` : group,
              operations: COUNT,
              warmupOperations: WARMUP,
              concurrency: CONCURRENCY,
              operation: (index) => send(messages[index]),
            }),
          );
          const arrived = await waitForArrivals(`subject:"${tag}" subject:"${caseTag}"`, WARMUP + COUNT);
          arrivals.push(`${caseTag}: ${arrived}/${WARMUP + COUNT} in Mailpit`);
          if (arrived !== WARMUP + COUNT) throw new Error(`${caseTag}: only ${arrived} of ${WARMUP + COUNT} messages arrived in Mailpit`);
        }
      }
    }
    console.log('');
    printRatioTable(results, { baseline: BASELINE, unit: 'messages' });
    console.log(`\narrived (Mailpit search by subject, warm-up included): ${arrivals.join('; ')}`);
    const summary = (group: string) => {
      const rows = results.filter((r) => r.group.startsWith(group));
      const rate = (name: string) => {
        const of = rows.filter((r) => r.name === name);
        return of.reduce((sum, r) => sum + r.items, 0) / of.reduce((sum, r) => sum + r.seconds, 0);
      };
      const ratio = rate(SUBJECT) / rate(BASELINE);
      console.log(
        `${group}: ${SUBJECT} ${rate(SUBJECT).toFixed(0)} messages/s vs ${BASELINE} ${rate(BASELINE).toFixed(0)} messages/s over all rounds: ` +
          `${ratio.toFixed(2)}x (goal >= 0.5x: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
      );
    };
    summary('plain');
    summary('with .ics');
  } finally {
    adapter.close();
    transport.close();
    await mailpitDelete(`subject:"${tag}"`).catch((error: unknown) => console.error('could not delete the run\'s messages from Mailpit', error));
    const left = await mailpitCount(`subject:"${tag}"`).catch(() => Number.NaN);
    console.log(`clean-up: ${left} of the run's messages left in Mailpit`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
