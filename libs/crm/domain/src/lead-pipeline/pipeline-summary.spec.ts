import { uuid } from '../testing/crm.fixtures';
import type { LeadStatusView } from './lead-pipeline.decider';
import { pipelineSummary } from './pipeline-summary';

const NEW = uuid(41);
const CONTACTED = uuid(42);
const OLD = uuid(43);
const statuses: LeadStatusView[] = [
  { statusId: OLD, name: 'Old', description: '', retired: true, order: null },
  { statusId: CONTACTED, name: 'Contacted', description: '', retired: false, order: 1 },
  { statusId: NEW, name: 'New', description: '', retired: false, order: 0 },
];

describe('pipelineSummary', () => {
  it('counts open leads per status in pipeline order, keeping empty active statuses', () => {
    expect(pipelineSummary(new Map([[CONTACTED, 2]]), statuses)).toEqual({
      rows: [
        { statusId: NEW, name: 'New', order: 0, retired: false, leadCount: 0 },
        { statusId: CONTACTED, name: 'Contacted', order: 1, retired: false, leadCount: 2 },
      ],
      openLeads: 2,
      leadsInUnknownStatus: 0,
    });
  });

  it('keeps a retired status on the board while open leads sit in it, and counts unknown ones', () => {
    const summary = pipelineSummary(
      new Map([
        [OLD, 1],
        [uuid(99), 1],
      ]),
      statuses,
    );
    expect(summary.rows.map((r) => [r.statusId, r.leadCount])).toEqual([
      [NEW, 0],
      [CONTACTED, 0],
      [OLD, 1],
    ]);
    expect(summary.leadsInUnknownStatus).toBe(1);
    expect(summary.openLeads).toBe(2);
  });

  it('lists every retired status when asked to', () => {
    expect(pipelineSummary(new Map(), statuses, { includeRetired: true }).rows.map((r) => r.statusId)).toEqual([NEW, CONTACTED, OLD]);
  });
});
