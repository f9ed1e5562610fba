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
    const summary = pipelineSummary(
      [
        { statusId: CONTACTED, archived: false },
        { statusId: CONTACTED, archived: false },
        { statusId: CONTACTED, archived: true },
      ],
      statuses,
    );
    expect(summary).toEqual({
      rows: [
        { statusId: NEW, name: 'New', order: 0, retired: false, leadCount: 0 },
        { statusId: CONTACTED, name: 'Contacted', order: 1, retired: false, leadCount: 2 },
      ],
      openLeads: 2,
      archivedLeads: 1,
      leadsInUnknownStatus: 0,
    });
  });

  it('keeps a retired status on the board while open leads sit in it, and counts unknown ones', () => {
    const summary = pipelineSummary(
      [
        { statusId: OLD, archived: false },
        { statusId: uuid(99), archived: false },
      ],
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
});
