import { Metadata } from '@grpc/grpc-js';
import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import {
  CONSISTENCY_HEADER,
  decodeConsistencyToken,
  encodeConsistencyToken,
  MAX_TOKEN_EVENTS,
  MAX_TOKENS_PER_REQUEST,
  requestedConsistency,
  WriteLog,
  writeLogOf,
  writtenToken,
} from './consistency';

const created = { topic: 'crm.lead.v1', type: 'LeadCaptured', eventId: '7b0c6a52-3b8e-4f4e-9d9e-0a1b2c3d4e5f' };
const changed = { topic: 'crm.lead.v1', type: 'LeadStatusChanged', eventId: 'a1b2c3d4-0000-4000-8000-000000000001' };
const task = { topic: 'tasks.task.v1', type: 'TaskCreated', eventId: 'task-1:created' };

function headerViolation(read: () => unknown): string | undefined {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.InvalidArgument);
    return (error as DomainError).fieldViolations[0]?.field;
  }
  return undefined;
}

describe('consistency tokens', () => {
  it('decodes what it encodes, topics and all', () => {
    expect(decodeConsistencyToken(encodeConsistencyToken([created, changed, task]))).toEqual([created, changed, task]);
  });

  it('keeps the last event of each stream and type, in the order written', () => {
    const log = new WriteLog();
    log.record('lead-1', created);
    log.record('lead-1', changed);
    const later = { ...changed, eventId: 'a1b2c3d4-0000-4000-8000-000000000002' };
    log.record('lead-1', later);
    log.record('lead-2', changed);
    expect(log.written).toEqual([created, later, changed]);
  });

  it(`names at most ${MAX_TOKEN_EVENTS} events, the last written`, () => {
    const log = new WriteLog();
    for (let i = 0; i < MAX_TOKEN_EVENTS + 5; i++) log.record(`task-${i}`, { ...task, eventId: `task-${i}:created` });
    expect(log.written).toHaveLength(MAX_TOKEN_EVENTS);
    expect(log.written.at(-1)?.eventId).toBe(`task-${MAX_TOKEN_EVENTS + 4}:created`);
    expect(encodeConsistencyToken(log.written).length).toBeLessThan(4096);
  });

  it("gives a call's token from the write log of its metadata, none when it wrote nothing", () => {
    const metadata = new Metadata();
    expect(writtenToken(metadata)).toBeUndefined();
    writeLogOf(metadata).record('lead-1', created);
    expect(decodeConsistencyToken(writtenToken(metadata)!)).toEqual([created]);
    expect(writtenToken(new Metadata())).toBeUndefined();
  });

  it('reads every token a request sends, and none without the header', () => {
    const metadata = new Metadata();
    expect(requestedConsistency(metadata)).toEqual([]);
    metadata.add(CONSISTENCY_HEADER, encodeConsistencyToken([created]));
    metadata.add(CONSISTENCY_HEADER, encodeConsistencyToken([task]));
    expect(requestedConsistency(metadata)).toEqual([created, task]);
  });

  it.each([
    ['not base64url', 'not a token!'],
    ['not JSON', Buffer.from('{v:1').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, t: ['crm.lead.v1'], e: [[0, 'LeadCaptured', 'e-1']] })).toString('base64url')],
    ['a topic index out of range', Buffer.from(JSON.stringify({ v: 1, t: ['crm.lead.v1'], e: [[3, 'LeadCaptured', 'e-1']] })).toString('base64url')],
    ['a hostile event id', Buffer.from(JSON.stringify({ v: 1, t: ['crm.lead.v1'], e: [[0, 'LeadCaptured', "e'; DROP TABLE inbox"]] })).toString('base64url')],
    ['an oversized token', 'A'.repeat(5000)],
  ])('refuses %s as INVALID_ARGUMENT naming the header', (_what, token) => {
    const metadata = new Metadata();
    metadata.set(CONSISTENCY_HEADER, token);
    expect(headerViolation(() => requestedConsistency(metadata))).toBe(CONSISTENCY_HEADER);
  });

  it(`refuses more than ${MAX_TOKENS_PER_REQUEST} tokens`, () => {
    const metadata = new Metadata();
    for (let i = 0; i <= MAX_TOKENS_PER_REQUEST; i++) metadata.add(CONSISTENCY_HEADER, encodeConsistencyToken([created]));
    expect(headerViolation(() => requestedConsistency(metadata))).toBe(CONSISTENCY_HEADER);
  });
});
