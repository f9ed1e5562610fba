import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { systemClock } from '@projectflo/platform/core';
import { Secret } from '@projectflo/platform/secrets';
import { eventually, freePort } from '@projectflo/platform/testing';
import { type ChannelAdapter, classifyDeliveryFailure, type OutboundMessage, PermanentDeliveryError, TransientDeliveryError } from './channel-adapter';
import { type ChannelCredentialsSource, channelEndpointsFromEnv, type TenantChannelCredentials } from './channel-credentials';
import { dueDateIcs } from './due-date-ics';
import { SlackWebhookAdapter } from './slack-webhook.adapter';
import { SmsHttpAdapter } from './sms-http.adapter';
import { SmtpEmailAdapter } from './smtp-email.adapter';

// Real peers: Mailpit (scripts/infra.sh; what arrived is read through its HTTP API) and local HTTP
// servers standing in for Slack's incoming webhook and the SMS provider.
const MAILPIT_URL = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
const TENANT = randomUUID();

/** A local HTTP server answering each request with the next scripted status (the last repeats), recording what it received. */
interface StandIn {
  readonly url: string;
  readonly received: { headers: IncomingMessage['headers']; body: string; status: number }[];
  close(): Promise<void>;
}

async function standIn(statuses: readonly number[], answer: (status: number) => { body: string; headers?: Record<string, string> } = () => ({ body: 'ok' })): Promise<StandIn> {
  const received: StandIn['received'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)] ?? 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      if (status === 0) return; // never answers: the caller's timeout
      const { body, headers } = answer(status);
      res.writeHead(status, headers ?? {}).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** What the delivery workflow does with an adapter, reduced to its rule: retry while transient, at most `attempts` times. */
async function sendRetrying(adapter: ChannelAdapter, message: OutboundMessage, attempts: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await adapter.send(message);
    } catch (error) {
      if (classifyDeliveryFailure(error).kind === 'permanent' || attempt >= attempts) throw error;
    }
  }
}

const fixed = (credentials: Partial<TenantChannelCredentials>): ChannelCredentialsSource => ({
  forTenant: async () => ({ email: null, slack: null, sms: null, ...credentials }),
});

const message = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  deliveryId: randomUUID(),
  tenantId: TENANT,
  to: 'jane@studio.example',
  subject: 'Reminder: Send the proofs',
  text: 'Send the proofs is due on Friday, 4 December at 17:30.',
  ...overrides,
});

interface MailpitSummary {
  ID: string;
  MessageID: string;
  Subject: string;
  To: { Address: string }[];
  From: { Address: string; Name: string };
  Attachments: number;
}

async function mailpitByMessageId(deliveryId: string): Promise<MailpitSummary[]> {
  const response = await fetch(`${MAILPIT_URL}/api/v1/search?query=${encodeURIComponent(`message-id:"${deliveryId}@projectflo.notifications"`)}`);
  expect(response.ok).toBe(true);
  return ((await response.json()) as { messages: MailpitSummary[] }).messages;
}

describe('channel adapters against real local peers', () => {
  describe('email through SMTP (nodemailer → Mailpit)', () => {
    const endpoints = channelEndpointsFromEnv();
    let adapter: SmtpEmailAdapter;
    afterEach(() => adapter?.close());

    it('delivers with the tenant’s sender, the delivery id as Message-ID and the .ics attachment', async () => {
      adapter = new SmtpEmailAdapter(
        fixed({ email: { fromAddress: 'Studio Lumen <hello@lumen.example>', username: 'lumen', password: new Secret('s3cret-pass') } }),
        endpoints,
      );
      const sent = message({
        html: '<p>Send the proofs is due on <b>Friday</b>.</p>',
        attachments: [dueDateIcs({ taskId: 'task-1', title: 'Send the proofs', dueAt: new Date('2026-12-04T16:30:00Z'), stampedAt: new Date('2026-12-01T09:00:00Z') })],
      });
      const result = await adapter.send(sent);
      expect(result.providerMessageId).toBe(`<${sent.deliveryId}@projectflo.notifications>`);

      const [arrived] = await eventually(async () => {
        const found = await mailpitByMessageId(sent.deliveryId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(arrived.Subject).toBe(sent.subject);
      expect(arrived.To.map((t) => t.Address)).toEqual(['jane@studio.example']);
      expect(arrived.From).toEqual({ Address: 'hello@lumen.example', Name: 'Studio Lumen' });
      expect(arrived.Attachments).toBe(1);
      const full = (await (await fetch(`${MAILPIT_URL}/api/v1/message/${arrived.ID}`)).json()) as {
        Text: string;
        Attachments: { FileName: string; ContentType: string; PartID: string }[];
      };
      expect(full.Text).toContain('due on Friday');
      expect(full.Attachments[0]).toMatchObject({ FileName: 'due-date.ics', ContentType: expect.stringMatching(/^text\/calendar/) });
      const ics = await (await fetch(`${MAILPIT_URL}/api/v1/message/${arrived.ID}/part/${full.Attachments[0].PartID}`)).text();
      expect(ics).toContain('UID:task-task-1@projectflo');
      expect(ics).toContain('DTSTART:20261204T163000Z');
    });

    it('uses the service’s default sender when the tenant set none', async () => {
      adapter = new SmtpEmailAdapter(fixed({}), endpoints);
      const sent = message();
      await adapter.send(sent);
      const [arrived] = await eventually(async () => {
        const found = await mailpitByMessageId(sent.deliveryId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(arrived.From.Address).toBe('notifications@projectflo.local');
    });

    it('refuses a malformed address as permanent without sending', async () => {
      adapter = new SmtpEmailAdapter(fixed({}), endpoints);
      const sent = message({ to: 'not an address' });
      await expect(adapter.send(sent)).rejects.toBeInstanceOf(PermanentDeliveryError);
      expect(await mailpitByMessageId(sent.deliveryId)).toHaveLength(0);
    });

    it('an SMTP server that is not there is transient', async () => {
      adapter = new SmtpEmailAdapter(fixed({}), { ...endpoints, smtp: { host: '127.0.0.1', port: await freePort(), secure: false }, timeoutMs: 2000 });
      await expect(adapter.send(message())).rejects.toBeInstanceOf(TransientDeliveryError);
    });
  });

  describe('Slack incoming webhook (local stand-in)', () => {
    let server: StandIn | undefined;
    afterEach(async () => server?.close());
    const slack = (url: string, timeoutMs = 5000) => new SlackWebhookAdapter(fixed({ slack: { webhookUrl: new Secret(`${url}/services/T000/B000/XXXX`) } }), { timeoutMs }, systemClock);

    it('503 then 200: retried by the caller, one message accepted, the same delivery id both times', async () => {
      server = await standIn([503, 200]);
      const sent = message();
      await sendRetrying(slack(server.url), sent, 3);
      expect(server.received.map((r) => r.status)).toEqual([503, 200]);
      expect(server.received.filter((r) => r.status === 200)).toHaveLength(1);
      expect(new Set(server.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([sent.deliveryId]));
      const body = JSON.parse(server.received[1].body) as { text: string };
      expect(body.text).toBe(`*${sent.subject}*\n${sent.text}`);
    });

    it('400 is a PermanentDeliveryError, not retried', async () => {
      server = await standIn([400]);
      await expect(sendRetrying(slack(server.url), message(), 3)).rejects.toBeInstanceOf(PermanentDeliveryError);
      expect(server.received).toHaveLength(1);
    });

    it('429 carries Retry-After as a hint', async () => {
      server = await standIn([429], () => ({ body: 'rate_limited', headers: { 'retry-after': '2' } }));
      const failure = await slack(server.url).send(message()).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TransientDeliveryError);
      expect((failure as TransientDeliveryError).retryAfterMs).toBe(2000);
    });

    it('a provider that never answers is transient after the timeout', async () => {
      server = await standIn([0]);
      await expect(slack(server.url, 300).send(message())).rejects.toMatchObject({ retryable: true, reason: 'no answer within 300 ms' });
    });

    it('no webhook configured is permanent', async () => {
      await expect(new SlackWebhookAdapter(fixed({}), { timeoutMs: 1000 }, systemClock).send(message())).rejects.toBeInstanceOf(PermanentDeliveryError);
    });
  });

  describe('SMS provider HTTP API (local stand-in)', () => {
    let server: StandIn | undefined;
    afterEach(async () => server?.close());
    const sms = (url: string) =>
      new SmsHttpAdapter(fixed({ sms: { apiKey: new Secret('sk_test_123'), sender: '+15550001111' } }), { smsApiUrl: `${url}/v1`, timeoutMs: 5000 }, systemClock);

    it('503 then 201: retried by the caller, one message accepted, with the form body, the key and the idempotency key', async () => {
      server = await standIn([503, 201], (status) => ({ body: status === 201 ? JSON.stringify({ sid: 'SM123' }) : 'busy', headers: { 'content-type': 'application/json' } }));
      const sent = message({ to: '+4915112345678' });
      const result = await sendRetrying(sms(server.url), sent, 3);
      expect(result.providerMessageId).toBe('SM123');
      expect(server.received.filter((r) => r.status === 201)).toHaveLength(1);
      const accepted = server.received[1];
      expect(accepted.headers.authorization).toBe('Bearer sk_test_123');
      expect(accepted.headers['idempotency-key']).toBe(sent.deliveryId);
      expect(server.received[0].headers['idempotency-key']).toBe(sent.deliveryId);
      expect(Object.fromEntries(new URLSearchParams(accepted.body))).toEqual({ To: '+4915112345678', From: '+15550001111', Body: `${sent.subject}: ${sent.text}` });
    });

    it('400 is a PermanentDeliveryError, not retried', async () => {
      server = await standIn([400]);
      await expect(sendRetrying(sms(server.url), message({ to: '+4915112345678' }), 3)).rejects.toBeInstanceOf(PermanentDeliveryError);
      expect(server.received).toHaveLength(1);
    });

    it('a recipient without an E.164 number is permanent and never reaches the provider', async () => {
      server = await standIn([201]);
      await expect(sms(server.url).send(message({ to: '0151 1234' }))).rejects.toBeInstanceOf(PermanentDeliveryError);
      expect(server.received).toHaveLength(0);
    });
  });
});
