import { CRM_TOPIC_CONTRACTS_V1, crmEventContractsV1 } from '@projectflo/contracts';
import type { Command, Decider, DomainEvent } from '@projectflo/platform/core';
import type { z } from 'zod';
import { ContactEmailEventType } from './contact/contact-email.decider';
import type { ContactCommand } from './contact/contact.commands';
import { contactDecider } from './contact/contact.decider';
import { ContactEventType, type ContactEvent } from './contact/contact.events';
import { CrmEventType, crmEventSchemaVersions } from './crm-event-types';
import type { LeadPipelineCommand } from './lead-pipeline/lead-pipeline.commands';
import { leadPipelineDecider } from './lead-pipeline/lead-pipeline.decider';
import { LeadPipelineEventType, type LeadPipelineEvent } from './lead-pipeline/lead-pipeline.events';
import type { LeadCommand } from './lead/lead.commands';
import { leadDecider } from './lead/lead.decider';
import { LeadEventType, type LeadEvent } from './lead/lead.events';
import type { OrganizationCommand } from './organization/organization.commands';
import { organizationDecider } from './organization/organization.decider';
import { OrganizationEventType, type OrganizationEvent } from './organization/organization.events';
import { crmRelayRoutes, crmTopics } from './stream-names';
import { AT, meta, TENANT, uuid } from './testing/crm.fixtures';

/*
 * The published contracts (libs/contracts/src/events/crm-*.v1.ts) against what crm's deciders
 * really emit: every event type of every published aggregate has a contract on its aggregate's
 * topic, at the schema version the command handler stamps, and the events of a history that
 * emits each of them, with every text at its longest, parse as they travel (JSON).
 */

type PublishedEvent = OrganizationEvent | ContactEvent | LeadPipelineEvent | LeadEvent;
type Contracts = typeof crmEventContractsV1;

// Compile-time: each published event type has a contract whose payload is the decider's event data,
// and no contract names a type the deciders do not emit. A change to either side fails the typecheck
// until the contract is versioned on purpose.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Drifted = {
  [Type in PublishedEvent['type']]: Same<z.infer<Contracts[Type]['schema']>, Extract<PublishedEvent, { type: Type }>['data']> extends true ? never : Type;
}[PublishedEvent['type']];
type Unemitted = Exclude<keyof Contracts, PublishedEvent['type']>;
const contractsMatchEvents: [Drifted | Unemitted] extends [never] ? true : Drifted | Unemitted = true;

/** The event types of each published aggregate, by the aggregate's topic key. */
const eventTypesByAggregate = {
  organization: OrganizationEventType,
  contact: ContactEventType,
  'lead-pipeline': LeadPipelineEventType,
  lead: LeadEventType,
} as const satisfies Record<keyof typeof crmTopics, Readonly<Record<string, string>>>;

/** At the domain's longest, counted as it counts (code points): each emoji is two UTF-16 units. */
const longest = (length: number): string => '😀'.repeat(length);
const ACTOR = `user:${'x'.repeat(123)}`;
const m = () => meta({ actorId: ACTOR });
const email = `${'m'.repeat(242)}@example.com`;

/** Runs commands through a decider as a command handler would, returning every event it emitted. */
function history<S, C extends Command, E extends DomainEvent>(decider: Decider<S, C, E>, commands: readonly C[]): E[] {
  const events: E[] = [];
  for (const command of commands) events.push(...decider.decide(command, events.reduce(decider.evolve, decider.initialState())));
  return events;
}

const USER = uuid(11);
const CONTACT = uuid(21);
const [NEW, CONTACTED] = [uuid(41), uuid(42)];
const LEAD = uuid(51);

const organizationHistory = (): OrganizationEvent[] =>
  history(organizationDecider, [
    {
      type: 'RegisterOrganization',
      data: { organizationId: TENANT, name: longest(200), timezone: 'Europe/Paris', owner: { name: longest(200), email: `${'o'.repeat(242)}@example.com` } },
      // The registering user becomes the owner: a user id (a UUID), not the longest actor.
      metadata: meta(),
    },
    { type: 'ChangeOrganizationTimezone', data: { timezone: 'America/Argentina/ComodRivadavia' }, metadata: m() },
    { type: 'AddUser', data: { userId: USER, name: longest(200), email, timezone: 'Asia/Kolkata', role: 'Admin' }, metadata: m() },
    { type: 'ChangeUserTimezone', data: { userId: USER, timezone: 'Pacific/Chatham' }, metadata: m() },
    { type: 'ChangeUserRole', data: { userId: USER, role: 'Contributor' }, metadata: m() },
    { type: 'DeactivateUser', data: { userId: USER, reason: longest(1_000) }, metadata: m() },
    { type: 'ReactivateUser', data: { userId: USER }, metadata: m() },
  ] satisfies OrganizationCommand[]);

const contactHistory = (): ContactEvent[] =>
  history(contactDecider, [
    {
      type: 'CreateContact',
      data: { contactId: CONTACT, type: 'Vendor', firstName: longest(200), lastName: longest(200), email, phone: longest(50), company: longest(200) },
      metadata: m(),
    },
    { type: 'UpdateContact', data: { contactId: CONTACT, type: 'Client', lastName: '', phone: null, company: 'Atelier' }, metadata: m() },
    { type: 'ChangeContactEmail', data: { contactId: CONTACT, email: 'maya@example.com' }, metadata: m() },
    { type: 'ArchiveContact', data: { contactId: CONTACT, reason: longest(1_000) }, metadata: m() },
    { type: 'RestoreContact', data: { contactId: CONTACT }, metadata: m() },
  ] satisfies ContactCommand[]);

const leadPipelineHistory = (): LeadPipelineEvent[] =>
  history(leadPipelineDecider, [
    { type: 'DefineLeadStatus', data: { statusId: NEW, name: longest(200), description: longest(2_000) }, metadata: m() },
    { type: 'DefineLeadStatus', data: { statusId: CONTACTED, name: 'Contacted', position: 0 }, metadata: m() },
    { type: 'RenameLeadStatus', data: { statusId: NEW, name: 'New', description: '' }, metadata: m() },
    { type: 'ReorderLeadStatuses', data: { statusIds: [NEW, CONTACTED] }, metadata: m() },
    { type: 'RetireLeadStatus', data: { statusId: CONTACTED, reason: longest(1_000) }, metadata: m() },
  ] satisfies LeadPipelineCommand[]);

const leadHistory = (): LeadEvent[] =>
  history(leadDecider, [
    {
      type: 'CaptureLead',
      data: {
        leadId: LEAD,
        contact: { contactId: CONTACT, exists: true, archived: false },
        status: { statusId: NEW, exists: true, retired: false },
        eventDate: '2028-02-29',
        venue: longest(500),
        source: longest(200),
        sourceDetails: longest(2_000),
        campaignId: uuid(61),
        followUpDate: '0001-01-01',
        expectedCloseDate: '9999-12-31',
        temperature: 'Hot',
        notes: longest(10_000),
        assignee: { userId: USER, exists: true, active: true },
      },
      metadata: m(),
    },
    { type: 'UpdateLeadDetails', data: { leadId: LEAD, venue: null, temperature: 'Warm', eventDate: '2028-03-01' }, metadata: m() },
    { type: 'ScheduleLeadFollowUp', data: { leadId: LEAD, followUpDate: null }, metadata: m() },
    { type: 'ChangeLeadStatus', data: { leadId: LEAD, target: { statusId: CONTACTED, exists: true, retired: false }, reason: longest(1_000) }, metadata: m() },
    { type: 'AssignLead', data: { leadId: LEAD, assignee: { userId: uuid(12), exists: true, active: true } }, metadata: m() },
    {
      type: 'AddLeadNote',
      data: { leadId: LEAD, noteId: uuid(71), body: longest(10_000), private: true, mentions: Array.from({ length: 50 }, (_, i) => uuid(100 + i)) },
      metadata: m(),
    },
    {
      type: 'LogCommunication',
      data: {
        leadId: LEAD,
        communicationId: uuid(81),
        type: 'Call',
        direction: 'Outbound',
        subject: longest(500),
        content: longest(50_000),
        status: 'Scheduled',
        occurredAt: '9999-12-31T23:59:59+00:00',
      },
      metadata: m(),
    },
    { type: 'ArchiveLead', data: { leadId: LEAD, reason: longest(1_000) }, metadata: m() },
  ] satisfies LeadCommand[]);

const historiesByAggregate: Record<keyof typeof crmTopics, () => readonly PublishedEvent[]> = {
  organization: organizationHistory,
  contact: contactHistory,
  'lead-pipeline': leadPipelineHistory,
  lead: leadHistory,
};

describe('published crm event contracts (libs/contracts)', () => {
  it('match the deciders’ event types in the typecheck', () => {
    expect(contractsMatchEvents).toBe(true);
  });

  it('cover every event type crm records, except the internal email reservations, which are never published', () => {
    const published = Object.values(eventTypesByAggregate).flatMap((types) => Object.values(types));
    expect([...published, ...Object.values(ContactEmailEventType)].sort()).toEqual(Object.values(CrmEventType).sort());
    expect(crmRelayRoutes['contact-email']).toBeNull();
    for (const type of Object.values(ContactEmailEventType)) expect(Object.hasOwn(crmEventContractsV1, type)).toBe(false);
  });

  describe.each(Object.keys(crmTopics) as (keyof typeof crmTopics)[])('on %s’s topic', (aggregate) => {
    const topic = crmTopics[aggregate];
    const contracts: Readonly<Record<string, { readonly schemaVersion: number; readonly schema: z.ZodTypeAny }>> = CRM_TOPIC_CONTRACTS_V1[topic];
    const types = Object.values(eventTypesByAggregate[aggregate]);

    it('publish a contract for exactly the event types of the aggregate, at the version the command handler stamps', () => {
      expect(Object.keys(contracts).sort()).toEqual([...types].sort());
      for (const type of types) expect([type, contracts[type]?.schemaVersion]).toEqual([type, crmEventSchemaVersions[type]]);
    });

    it('accept every event the decider emits, with each text at its longest, as it travels (JSON)', () => {
      const events = historiesByAggregate[aggregate]();
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(types));
      for (const event of events) {
        const parsed = contracts[event.type]!.schema.safeParse(JSON.parse(JSON.stringify(event.data)));
        expect([event.type, parsed]).toEqual([event.type, { success: true, data: event.data }]);
      }
    });
  });

  it('reject a payload that breaks the schema, naming the field', () => {
    const parsed = crmEventContractsV1.LeadStatusChanged.schema.safeParse({
      leadId: LEAD,
      fromStatusId: 'new',
      toStatusId: CONTACTED,
      reason: '',
      changedAt: '+011476-08-15T05:20:00.000Z',
      changedBy: ACTOR,
    });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['fromStatusId', 'changedAt']);
    expect(crmEventContractsV1.LeadCaptured.schema.safeParse({ ...leadHistory()[0]!.data, eventDate: '2024-02-30', capturedAt: AT }).success).toBe(false);
  });
});
