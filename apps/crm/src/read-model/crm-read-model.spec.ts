import { crmEventContractsV1 } from '@projectflo/contracts';
import { crmProjections, crmReadModelAccepts, crmReadModelChecks } from './crm-read-model';

const statusChanged = {
  leadId: '00000000-0000-4000-8000-000000000051',
  fromStatusId: '00000000-0000-4000-8000-000000000041',
  toStatusId: '00000000-0000-4000-8000-000000000042',
  reason: '',
  changedAt: '2025-06-11T09:30:00.000Z',
  changedBy: 'user-1',
};

describe('crm read model checks', () => {
  it('check every event type a projection handles against its published contract, at the published version', () => {
    const handled = crmProjections.flatMap((p) => p.handles);
    expect(handled.length).toBeGreaterThan(0);
    for (const type of handled) {
      const contract = crmEventContractsV1[type as keyof typeof crmEventContractsV1];
      expect([type, crmReadModelChecks(type)]).toEqual([type, { schemaVersions: [contract.schemaVersion], contract: contract.schema }]);
    }
  });

  it('refuse to check a type that has no published contract', () => {
    expect(() => crmReadModelChecks('ContactEmailReserved')).toThrow('event type ContactEmailReserved has no published contract');
  });

  it('let a rebuild take exactly what the consumer takes', () => {
    expect(crmReadModelAccepts({ type: 'LeadStatusChanged', schemaVersion: 1, data: statusChanged })).toBe(true);
    expect(crmReadModelAccepts({ type: 'LeadStatusChanged', schemaVersion: 2, data: statusChanged })).toBe(false);
    expect(crmReadModelAccepts({ type: 'LeadStatusChanged', schemaVersion: 1, data: { ...statusChanged, changedAt: '+011476-08-15T05:20:00.000Z' } })).toBe(false);
  });
});
