import ICAL from 'ical.js';
import { notificationsChannelSettingsEventsV1 } from '@projectflo/contracts';
import { foldState } from '@projectflo/platform/core';
import {
  classifyDeliveryFailure,
  httpStatusFailure,
  parseRetryAfter,
  PermanentDeliveryError,
  TransientDeliveryError,
} from './channel-adapter';
import { channelEndpointsFromEnv } from './channel-credentials';
import { type ChannelSettingsEvent, channelSettingsDecider, type SetChannelSettings } from './channel-settings.decider';
import { dueDateIcs } from './due-date-ics';
import { classifySmtpError, messageIdOf } from './smtp-email.adapter';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('classifyDeliveryFailure (the one place deciding retry)', () => {
  it('keeps a permanent failure permanent with its reason', () => {
    expect(classifyDeliveryFailure(new PermanentDeliveryError('sms', 'the recipient has no E.164 phone number'))).toEqual({
      kind: 'permanent',
      reason: 'the recipient has no E.164 phone number',
    });
  });

  it('keeps a transient failure transient with the provider’s Retry-After hint', () => {
    expect(classifyDeliveryFailure(new TransientDeliveryError('slack', 'provider answered HTTP 429', 30_000))).toEqual({
      kind: 'transient',
      reason: 'provider answered HTTP 429',
      retryAfterMs: 30_000,
    });
  });

  it('treats anything unexpected as transient, so the bounded retry policy decides', () => {
    expect(classifyDeliveryFailure(new TypeError('boom'))).toEqual({ kind: 'transient', reason: 'TypeError: boom', retryAfterMs: null });
    expect(classifyDeliveryFailure('a string')).toEqual({ kind: 'transient', reason: 'unknown error', retryAfterMs: null });
  });
});

describe('HTTP provider answers', () => {
  it.each([429, 500, 502, 503, 504])('%i is transient', (status) => {
    expect(httpStatusFailure('sms', status, null, NOW)).toBeInstanceOf(TransientDeliveryError);
  });

  it.each([400, 401, 403, 404, 410, 422])('%i is permanent', (status) => {
    const error = httpStatusFailure('slack', status, '10', NOW);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.reason).toBe(`provider answered HTTP ${status}`);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
    expect(parseRetryAfter(new Date(NOW - 90_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect((httpStatusFailure('sms', 503, '3', NOW) as TransientDeliveryError).retryAfterMs).toBe(3000);
  });
});

describe('SMTP failures (nodemailer errors)', () => {
  it('a 4xx reply is transient, a 5xx reply permanent', () => {
    expect(classifySmtpError(Object.assign(new Error('451 try later'), { code: 'EMESSAGE', responseCode: 451 }))).toBeInstanceOf(TransientDeliveryError);
    expect(classifySmtpError(Object.assign(new Error('550 no such user'), { code: 'EENVELOPE', responseCode: 550 }))).toBeInstanceOf(PermanentDeliveryError);
  });

  it('refused credentials and a bad envelope are permanent; connection trouble transient', () => {
    expect(classifySmtpError(Object.assign(new Error('auth'), { code: 'EAUTH' }))).toBeInstanceOf(PermanentDeliveryError);
    expect(classifySmtpError(Object.assign(new Error('no recipients'), { code: 'EENVELOPE' }))).toBeInstanceOf(PermanentDeliveryError);
    expect(classifySmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBeInstanceOf(TransientDeliveryError);
    expect(classifySmtpError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))).toBeInstanceOf(TransientDeliveryError);
  });

  it('never keeps the server’s text, which may echo an address', () => {
    const error = classifySmtpError(Object.assign(new Error('550 <jane@example.com> unknown'), { code: 'EENVELOPE', responseCode: 550 }));
    expect(error.reason).not.toContain('jane@example.com');
    expect(error.reason).toBe('SMTP server refused: EENVELOPE 550');
  });

  it('uses the delivery id as the Message-ID', () => {
    expect(messageIdOf('3b0c1c1e-0000-4000-8000-000000000001')).toBe('<3b0c1c1e-0000-4000-8000-000000000001@projectflo.notifications>');
  });
});

describe('channel endpoints from the environment', () => {
  it('defaults to the local Mailpit', () => {
    expect(channelEndpointsFromEnv({}).smtp).toEqual({ host: '127.0.0.1', port: 1025, secure: false });
  });

  it('takes SMTP_HOST/SMTP_PORT and refuses a bad port with its name', () => {
    expect(channelEndpointsFromEnv({ SMTP_HOST: 'smtp.example.org', SMTP_PORT: '587' }).smtp).toEqual({ host: 'smtp.example.org', port: 587, secure: false });
    expect(() => channelEndpointsFromEnv({ SMTP_PORT: 'abc' })).toThrow(/SMTP_PORT is invalid/);
  });
});

describe('the due-date .ics attachment (written by ical-generator, read back by ical.js)', () => {
  const parse = (content: string) => {
    const calendar = new ICAL.Component(ICAL.parse(content));
    const [component] = calendar.getAllSubcomponents('vevent');
    const event = new ICAL.Event(component);
    return { calendar, component, event };
  };

  it('is one event at the due instant, in UTC, with a UID stable per task and an alarm', () => {
    const attachment = dueDateIcs({
      taskId: 'a1b2',
      title: 'Send the proofs',
      dueAt: new Date('2026-12-04T16:30:00Z'),
      stampedAt: new Date('2026-12-01T09:00:00Z'),
      description: 'Lead: Miller wedding',
    });
    expect(attachment.filename).toBe('due-date.ics');
    expect(attachment.contentType).toMatch(/^text\/calendar/);
    const { calendar, component, event } = parse(String(attachment.content));
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(event.uid).toBe('task-a1b2@projectflo');
    expect(event.summary).toBe('Due: Send the proofs');
    expect(event.description).toBe('Lead: Miller wedding');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-04T16:30:00.000Z');
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(component.getAllSubcomponents('valarm')).toHaveLength(1);
  });

  it('a later version of the same task (moved due date) keeps the UID and raises the sequence', () => {
    const first = parse(String(dueDateIcs({ taskId: 't', title: 'x', dueAt: new Date('2026-12-04T16:30:00Z'), stampedAt: new Date('2026-12-01T09:00:00Z') }).content));
    const moved = parse(String(dueDateIcs({ taskId: 't', title: 'x', dueAt: new Date('2026-12-03T10:00:00Z'), stampedAt: new Date('2026-12-01T10:00:00Z') }).content));
    expect(moved.event.uid).toBe(first.event.uid);
    expect(moved.event.sequence).toBeGreaterThan(first.event.sequence);
  });
});

describe('channel settings decider', () => {
  const meta = { tenantId: 'tenant-a', actorId: 'admin-1', actorKind: 'user' as const, requestId: 'r', now: new Date('2026-06-01T09:00:00Z') };
  const ref = { secretId: '3b0c1c1e-0000-4000-8000-000000000001', kekId: 'dev-20261130' };
  const set = (data: SetChannelSettings['data'], events: ChannelSettingsEvent[] = []) =>
    channelSettingsDecider.decide({ type: 'SetChannelSettings', data, metadata: meta }, foldState(channelSettingsDecider, events));

  it('records the secret by reference only, under the published contract; the same settings again record nothing', () => {
    const events = set({ channel: 'email', sender: 'hello@north.example', username: 'north', secret: ref });
    expect(events[0]!.data).toMatchObject({ secret: ref, secretChanged: true, changedBy: 'admin-1' });
    const contract = notificationsChannelSettingsEventsV1.notificationsChannelSettingsEventContractsV1.ChannelSettingsChanged;
    expect(() => contract.schema.parse(events[0]!.data)).not.toThrow();
    expect(set({ channel: 'email', sender: 'hello@north.example', username: 'north', secret: 'keep' }, events)).toEqual([]);
    expect(set({ channel: 'email', sender: 'hello@north.example', username: 'north', secret: null }, events)[0]!.data).toMatchObject({ secret: null, secretChanged: true });
  });

  it('refuses email or SMS without a sender', () => {
    expect(() => set({ channel: 'sms', sender: null, username: null, secret: ref })).toThrow(/sender/);
  });
});
