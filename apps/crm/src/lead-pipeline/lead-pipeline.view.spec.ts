import { leadPipelineDecider, listStatuses, type LeadPipelineEvent } from '@projectflo/crm/domain';
import { foldState, foldView, type StreamEvent } from '@projectflo/platform/core';
import { evolveLeadPipelineView, type LeadPipelineView } from './lead-pipeline.view';

const TENANT = '00000000-0000-4000-8000-000000000001';
const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((s) => `00000000-0000-4000-8000-00000000004${s}`) as [string, string, string, string];
const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;

const events: LeadPipelineEvent[] = [
  { type: 'LeadStatusDefined', data: { statusId: A, name: 'Inquiry', description: '', order: 0, definedAt: at(1), definedBy: 'user-1' } },
  { type: 'LeadStatusDefined', data: { statusId: B, name: 'Proposal', description: '', order: 1, definedAt: at(2), definedBy: 'user-1' } },
  { type: 'LeadStatusDefined', data: { statusId: C, name: 'Booked', description: '', order: 2, definedAt: at(3), definedBy: 'user-1' } },
  { type: 'LeadStatusDefined', data: { statusId: D, name: 'Call', description: 'phone first', order: 1, definedAt: at(4), definedBy: 'user-1' } },
  { type: 'LeadStatusRenamed', data: { statusId: B, previousName: 'Proposal', name: 'Proposal sent', description: 'quote out', renamedAt: at(5), renamedBy: 'user-1' } },
  { type: 'LeadStatusRetired', data: { statusId: D, reason: 'unused', retiredAt: at(6), retiredBy: 'user-1' } },
  { type: 'LeadStatusesReordered', data: { statusIds: [C, A, B], reorderedAt: at(7), reorderedBy: 'user-1' } },
  { type: 'LeadStatusRetired', data: { statusId: A, reason: '', retiredAt: at(8), retiredBy: 'user-1' } },
];

const recorded = (event: LeadPipelineEvent, index: number): StreamEvent => ({
  eventId: `e${index}`,
  type: event.type,
  data: event.data,
  streamPosition: index + 1,
  metadata: { tenantId: TENANT, actorId: 'user-1', requestId: `r${index}`, correlationId: `r${index}`, causationId: `r${index}`, occurredAt: at(index + 1) },
});
const stream = events.map(recorded);
const positions = (rows: LeadPipelineView | undefined) => rows?.map((r) => [r.name, r.position, r.retired]);

describe('evolveLeadPipelineView', () => {
  it('keeps active statuses by position, then retired ones in the order they were defined, all at the stream version', () => {
    const rows = foldView(evolveLeadPipelineView, stream);
    expect(positions(rows)).toEqual([
      ['Booked', 0, false],
      ['Proposal sent', 1, false],
      ['Inquiry', null, true],
      ['Call', null, true],
    ]);
    expect(rows?.find((r) => r.statusId === B)).toMatchObject({ description: 'quote out', tenantId: TENANT, definedAt: new Date(at(2)) });
    expect(new Set(rows?.map((r) => r.version))).toEqual(new Set([stream.length]));
  });

  it("gives every status the position the decider's state gives it, after every event", () => {
    for (let n = 1; n <= stream.length; n++) {
      const state = foldState(leadPipelineDecider, events.slice(0, n));
      const rows = foldView(evolveLeadPipelineView, stream.slice(0, n));
      expect([n, rows?.map((r) => [r.statusId, r.position])]).toEqual([n, listStatuses(state).map((s) => [s.statusId, s.order])]);
    }
  });

  it('folds stored rows in any order (as the projection reads them) to the same pipeline', () => {
    const before = foldView(evolveLeadPipelineView, stream.slice(0, 6))!;
    const shuffled = [...before].reverse().map((row) => ({ ...row }));
    expect(evolveLeadPipelineView(shuffled, stream[6]!)).toEqual(evolveLeadPipelineView(before, stream[6]!));
    expect(positions(evolveLeadPipelineView(shuffled, stream[6]!))).toEqual([
      ['Booked', 0, false],
      ['Inquiry', 1, false],
      ['Proposal sent', 2, false],
      ['Call', null, true],
    ]);
  });

  it('has no pipeline before a status is defined', () => {
    expect(evolveLeadPipelineView(undefined, stream[4]!)).toBeUndefined();
  });
});
