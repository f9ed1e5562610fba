import {
  DomainError,
  DomainErrorCode,
  FixedClock,
  handleCommand,
  type CommandMetadata,
  type Decider,
  type DomainEvent,
} from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import { contactEmailDecider } from './contact/contact-email.decider';
import type { CreateContact } from './contact/contact.commands';
import { contactDecider, contactLookup } from './contact/contact.decider';
import { leadPipelineDecider, statusLookup } from './lead-pipeline/lead-pipeline.decider';
import { leadDecider } from './lead/lead.decider';
import { streamName } from './stream-names';
import { NOW, TENANT, meta, uuid } from './testing/crm.fixtures';

/*
 * The deciders driven the way the crm command handlers are meant to drive them (handleCommand over
 * an event store, facts looked up in other streams), with the in-memory store: no I/O. It proves
 * the events survive a JSON round trip and that the documented protocols hold.
 */

const store = () => new InMemoryEventStore({ clock: new FixedClock(NOW) });
let request = 0;

/** What a handler does to look facts up in another stream: read it and fold it. */
async function load<S, E extends DomainEvent>(es: InMemoryEventStore, decider: Decider<S, never, E>, stream: string): Promise<S> {
  const { events } = await es.readStream(stream);
  return events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
}
const m = (): CommandMetadata => meta({ requestId: `req-${++request}` });

async function createContact(es: InMemoryEventStore, contactId: string, email: string, metadata = m()): Promise<void> {
  const create: CreateContact = {
    type: 'CreateContact',
    data: { contactId, type: 'ClientLead', firstName: 'Maya', email },
    metadata,
  };
  contactDecider.decide(create, contactDecider.initialState()); // dry run: invalid input fails before reserving
  await handleCommand(es, contactEmailDecider, streamName.contactEmail(metadata.tenantId, email), {
    type: 'ReserveContactEmail',
    data: { email, contactId },
    metadata,
  });
  await handleCommand(es, contactDecider, streamName.contact(contactId), create);
}

describe('crm command flows', () => {
  it('gives a second contact with the same email (any case) ALREADY_EXISTS and writes nothing for it', async () => {
    const es = store();
    await createContact(es, uuid(1), 'maya@example.com');
    const failure = await createContact(es, uuid(2), ' MAYA@Example.com').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe(DomainErrorCode.AlreadyExists);
    expect((failure as DomainError).details).toEqual({ what: 'contact', contactId: uuid(1) });
    expect((await es.readStream(streamName.contact(uuid(2)))).version).toBe(0);
  });

  it('completes a create retried after a crash between the reservation and the contact', async () => {
    const es = store();
    const metadata = m();
    await handleCommand(es, contactEmailDecider, streamName.contactEmail(TENANT, 'ada@example.com'), {
      type: 'ReserveContactEmail',
      data: { email: 'ada@example.com', contactId: uuid(3) },
      metadata,
    });
    await createContact(es, uuid(3), 'ada@example.com', metadata);
    const { events } = await es.readStream(streamName.contact(uuid(3)));
    expect(events.map((e) => e.type)).toEqual(['ContactCreated']);
  });

  it('keeps a tenant free to use an email another tenant uses', async () => {
    const es = store();
    await createContact(es, uuid(4), 'shared@example.com');
    const otherTenant = meta({ tenantId: uuid(900), requestId: 'other' });
    await expect(createContact(es, uuid(5), 'shared@example.com', otherTenant)).resolves.toBeUndefined();
  });

  it('captures a lead and moves it through the pipeline with facts looked up by the handler', async () => {
    const es = store();
    const pipeline = streamName.leadPipeline(TENANT);
    for (const [statusId, name] of [[uuid(41), 'New'], [uuid(42), 'Old']] as const) {
      await handleCommand(es, leadPipelineDecider, pipeline, { type: 'DefineLeadStatus', data: { statusId, name }, metadata: m() });
    }
    await handleCommand(es, leadPipelineDecider, pipeline, { type: 'RetireLeadStatus', data: { statusId: uuid(42) }, metadata: m() });
    await createContact(es, uuid(6), 'lead@example.com');
    const statuses = await load(es, leadPipelineDecider, pipeline);
    const contact = await load(es, contactDecider, streamName.contact(uuid(6)));

    const lead = streamName.lead(uuid(51));
    await handleCommand(es, leadDecider, lead, {
      type: 'CaptureLead',
      data: { leadId: uuid(51), contact: contactLookup(contact, uuid(6)), status: statusLookup(statuses, uuid(41)), source: 'website' },
      metadata: m(),
    });
    const entering = handleCommand(es, leadDecider, lead, {
      type: 'ChangeLeadStatus',
      data: { leadId: uuid(51), target: statusLookup(statuses, uuid(42)), reason: 'try' },
      metadata: m(),
    });
    await expect(entering).rejects.toMatchObject({ code: DomainErrorCode.FailedPrecondition });

    const { events } = await es.readStream(lead);
    expect(events.map((e) => [e.type, e.schemaVersion, e.metadata.tenantId])).toEqual([['LeadCaptured', 1, TENANT]]);
  });
});
