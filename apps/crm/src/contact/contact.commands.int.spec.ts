import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { crmV1 } from '@projectflo/contracts';
import { streamName } from '@projectflo/crm/domain';
import { deriveId } from '@projectflo/platform/core';
import { call, Caller, type CrmTestApp, failure, startCrmTestApp, streamEvents } from '../testing/crm-test-app';

// CreateContact writes two streams, the email reservation and the contact. They are appended in
// one transaction: a failure of the contact's insert (injected here by a trigger on the real
// events table) leaves no reservation behind for a contact that does not exist.

describe('CreateContact (real Postgres)', () => {
  let app: CrmTestApp;

  beforeAll(async () => {
    app = await startCrmTestApp();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('reserves the email and creates the contact all or nothing; the same request retried afterwards succeeds', async () => {
    const owner = new Caller();
    await call(app.client, 'RegisterOrganization', { name: 'Atomic Studio', timezone: 'Europe/Lisbon', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, owner.command());
    const requestId = randomUUID();
    const contactId = deriveId('contact', owner.tenantId, requestId);
    const email = `ines.${randomUUID().slice(0, 8)}@example.com`;
    const request = { type: 'CONTACT_TYPE_CLIENT', firstName: 'Inès', email };
    const events = `"${app.schema}".events`;
    await app.pool.query(
      `CREATE FUNCTION "${app.schema}".refuse_contact() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await app.pool.query(
      `CREATE TRIGGER refuse_contact BEFORE INSERT ON ${events} FOR EACH ROW WHEN (NEW.stream_name = 'contact-${contactId}') EXECUTE FUNCTION "${app.schema}".refuse_contact()`,
    );

    const refused = await failure(call(app.client, 'CreateContact', request, owner.command(requestId)));

    expect(refused.code).toBe(status.INTERNAL);
    expect(await streamEvents(app, streamName.contactEmail(owner.tenantId, email))).toEqual([]);
    expect(await streamEvents(app, streamName.contact(contactId))).toEqual([]);

    await app.pool.query(`DROP TRIGGER refuse_contact ON ${events}`);
    const created = await call<crmV1.CreateContactResponse>(app.client, 'CreateContact', request, owner.command(requestId));

    expect(created.contact?.contactId).toBe(contactId);
    expect((await streamEvents(app, streamName.contactEmail(owner.tenantId, email))).map((e) => e.data)).toEqual([
      expect.objectContaining({ email, contactId }),
    ]);
    expect((await streamEvents(app, streamName.contact(contactId))).map((e) => e.type)).toEqual(['ContactCreated']);
  });

  it('refuses a second contact with a reserved email and writes neither of its streams', async () => {
    const owner = new Caller();
    await call(app.client, 'RegisterOrganization', { name: 'Taken Studio', timezone: 'Europe/Lisbon', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, owner.command());
    const email = `taken.${randomUUID().slice(0, 8)}@example.com`;
    const first = await call<crmV1.CreateContactResponse>(app.client, 'CreateContact', { type: 'CONTACT_TYPE_CLIENT', firstName: 'Ada', email }, owner.command());
    const requestId = randomUUID();

    const refused = await failure(call(app.client, 'CreateContact', { type: 'CONTACT_TYPE_VENDOR', firstName: 'Bea', email }, owner.command(requestId)));

    expect(refused.code).toBe(status.ALREADY_EXISTS);
    expect(await streamEvents(app, streamName.contact(deriveId('contact', owner.tenantId, requestId)))).toEqual([]);
    expect((await streamEvents(app, streamName.contactEmail(owner.tenantId, email))).map((e) => e.data)).toEqual([
      expect.objectContaining({ contactId: first.contact?.contactId }),
    ]);
  });
});
