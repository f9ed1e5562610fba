import { crmEventSchemaVersions } from '../crm-event-types';
import { ACTOR, AT, meta, uuid } from '../testing/crm.fixtures';
import type { LeadCommand } from './lead.commands';
import { crmLeadEventsV1 } from '@projectflo/contracts';
import { leadDecider } from './lead.decider';
import type { LeadArchived, LeadAssigned, LeadCaptured, LeadEvent, LeadStatusChanged } from './lead.events';

// Compile-time: the published payloads and the decider's event data are the same shape, so a
// change to either fails the typecheck until the contract is versioned on purpose.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatchesEvents: [
  Same<crmLeadEventsV1.LeadCapturedPayloadV1, LeadCaptured['data']>,
  Same<crmLeadEventsV1.LeadStatusChangedPayloadV1, LeadStatusChanged['data']>,
  Same<crmLeadEventsV1.LeadAssignedPayloadV1, LeadAssigned['data']>,
  Same<crmLeadEventsV1.LeadArchivedPayloadV1, LeadArchived['data']>,
] = [true, true, true, true];
const contracts = crmLeadEventsV1.crmLeadEventContractsV1;
type Published = keyof typeof contracts;

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

describe('published lead event contracts (crm.lead.v1, libs/contracts)', () => {
  it('describe the payloads the decider really produces', () => {
    expect(contractMatchesEvents).toEqual([true, true, true, true]);
    const events = history();
    expect(events.map((e) => e.type)).toEqual(['LeadCaptured', 'LeadStatusChanged', 'LeadAssigned', 'LeadArchived']);
    for (const event of events) {
      // A Kafka round trip: what consumers parse is the JSON of the recorded data.
      const parsed = contracts[event.type as Published].schema.safeParse(JSON.parse(JSON.stringify(event.data)));
      expect(parsed).toEqual({ success: true, data: event.data });
    }
  });

  it('agree with the schema versions the command handler stamps on events', () => {
    for (const [type, contract] of Object.entries(contracts)) {
      expect([type, crmEventSchemaVersions[type as keyof typeof crmEventSchemaVersions]]).toEqual([type, contract.schemaVersion]);
    }
  });

  it('reject a payload that breaks the schema, naming the field', () => {
    const parsed = contracts.LeadStatusChanged.schema.safeParse({
      leadId: LEAD,
      fromStatusId: 'new',
      toStatusId: uuid(42),
      reason: '',
      changedAt: AT,
      changedBy: ACTOR,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['fromStatusId']);
  });
});
