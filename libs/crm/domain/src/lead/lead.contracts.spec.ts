import { crmEventSchemaVersions } from '../crm-event-types';
import { ACTOR, AT, meta, uuid } from '../testing/crm.fixtures';
import type { LeadCommand } from './lead.commands';
import {
  leadEventContracts,
  parseLeadContractEvent,
  type LeadArchivedPayloadV1,
  type LeadAssignedPayloadV1,
  type LeadCapturedPayloadV1,
  type LeadStatusChangedPayloadV1,
} from './lead.contracts';
import { leadDecider } from './lead.decider';
import type { LeadArchived, LeadAssigned, LeadCaptured, LeadEvent, LeadStatusChanged } from './lead.events';

// Compile-time: the published payloads and the decider's event data are the same shape, so a
// change to either fails the typecheck until the contract is versioned on purpose.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatchesEvents: [
  Same<LeadCapturedPayloadV1, LeadCaptured['data']>,
  Same<LeadStatusChangedPayloadV1, LeadStatusChanged['data']>,
  Same<LeadAssignedPayloadV1, LeadAssigned['data']>,
  Same<LeadArchivedPayloadV1, LeadArchived['data']>,
] = [true, true, true, true];

const LEAD = uuid(51);

/** Runs a realistic history through the decider, as a command handler would. */
function history(): LeadEvent[] {
  const commands: LeadCommand[] = [
    {
      type: 'CaptureLead',
      data: {
        leadId: LEAD,
        contact: { contactId: uuid(21), exists: true, archived: false },
        status: { statusId: uuid(41), exists: true, retired: false },
        source: 'referral',
      },
      metadata: meta(),
    },
    {
      type: 'ChangeLeadStatus',
      data: { leadId: LEAD, target: { statusId: uuid(42), exists: true, retired: false }, reason: 'replied' },
      metadata: meta(),
    },
    { type: 'AssignLead', data: { leadId: LEAD, assignee: { userId: uuid(11), exists: true, active: true } }, metadata: meta() },
    { type: 'ArchiveLead', data: { leadId: LEAD }, metadata: meta() },
  ];
  const events: LeadEvent[] = [];
  for (const command of commands) {
    events.push(...leadDecider.decide(command, events.reduce(leadDecider.evolve, leadDecider.initialState())));
  }
  return events;
}

describe('published lead event contracts (crm.lead.v1)', () => {
  it('describe the payloads the decider really produces', () => {
    expect(contractMatchesEvents).toEqual([true, true, true, true]);
    const events = history();
    expect(events.map((e) => e.type)).toEqual(['LeadCaptured', 'LeadStatusChanged', 'LeadAssigned', 'LeadArchived']);
    for (const event of events) {
      // A Kafka round trip: what consumers parse is the JSON of the recorded data.
      const result = parseLeadContractEvent(event.type, 1, JSON.parse(JSON.stringify(event.data)));
      expect(result).toEqual({ ok: true, event: { type: event.type, schemaVersion: 1, data: event.data } });
    }
  });

  it('agree with the schema versions the command handler stamps on events', () => {
    for (const [type, contract] of Object.entries(leadEventContracts)) {
      expect([type, crmEventSchemaVersions[type as keyof typeof crmEventSchemaVersions]]).toEqual([type, contract.schemaVersion]);
    }
  });

  it('reject a payload that breaks the schema, naming the field', () => {
    const result = parseLeadContractEvent('LeadStatusChanged', 1, {
      leadId: LEAD,
      fromStatusId: 'new',
      toStatusId: uuid(42),
      reason: '',
      changedAt: AT,
      changedBy: ACTOR,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('fromStatusId');
  });

  it('reject unknown schema versions and unpublished event types', () => {
    const data = { leadId: LEAD, reason: '', archivedAt: AT, archivedBy: ACTOR };
    expect(parseLeadContractEvent('LeadArchived', 1, data).ok).toBe(true);
    expect(parseLeadContractEvent('LeadArchived', 2, data)).toEqual({
      ok: false,
      reason: 'LeadArchived schema version 2 is not supported (expected 1)',
    });
    expect(parseLeadContractEvent('LeadNoteAdded', 1, {}).ok).toBe(false);
    expect(parseLeadContractEvent('toString', 1, {}).ok).toBe(false);
  });
});
