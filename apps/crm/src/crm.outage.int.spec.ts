import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { crmV1 } from '@projectflo/contracts';
import { callUnary } from '@projectflo/platform/grpc';
import { TcpProxy } from '@projectflo/platform/testing';
import { call, Caller, type CrmTestApp, DATABASE_URL, eventually, failure, startCrmTestApp, statusDetails, tenantEventCount } from './testing/crm-test-app';

// A database outage seen through the real gRPC edge: the service reaches Postgres through a proxy
// that the test cuts (open connections dropped, new ones refused) and restores. Calls during the
// outage are UNAVAILABLE, never INTERNAL, and a command retried with the same request id afterwards
// is applied exactly once.

describe('crm during a database outage (real gRPC server, real Postgres behind a proxy)', () => {
  let proxy: TcpProxy;
  let app: CrmTestApp;
  const caller = new Caller();

  beforeAll(async () => {
    const database = new URL(DATABASE_URL);
    proxy = await TcpProxy.start({ host: database.hostname, port: Number(database.port || 5432) });
    database.host = `127.0.0.1:${proxy.port}`;
    app = await startCrmTestApp({ databaseUrl: database.toString() });
    await call(app.client, 'RegisterOrganization', { name: 'Outage Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, caller.command());
  });

  afterAll(async () => {
    await proxy?.restore();
    await app?.close();
    await proxy?.close();
  });

  it('answers UNAVAILABLE while Postgres is unreachable, and a retry with the same request id succeeds once it is back', async () => {
    const requestId = randomUUID();
    const request = { type: 'CONTACT_TYPE_CLIENT', firstName: 'Maya', email: `maya-${randomUUID()}@example.com` };
    const eventsBefore = await tenantEventCount(app, caller.tenantId);

    await proxy.cut();
    // The service waits a while for its database (the ORM's acquire timeout) before answering.
    const patient = (method: string, body: object, headers: Record<string, string>) => callUnary(app.client, method, body, headers, 60_000);
    const [command, query] = await Promise.all([
      failure(patient('CreateContact', request, caller.command(requestId))),
      failure(patient('GetOrganization', {}, caller.query())),
    ]);
    for (const error of [command, query]) {
      expect({ code: error.code, details: error.details }).toEqual({ code: status.UNAVAILABLE, details: expect.stringContaining('retry with the same x-request-id') });
      expect(statusDetails(error)?.errorInfo?.reason).toBe('UNAVAILABLE');
    }

    await proxy.restore();
    const retry = () => call<crmV1.CreateContactResponse>(app.client, 'CreateContact', request, caller.command(requestId));
    const created = await eventually(retry, undefined, { what: 'CreateContact to succeed once Postgres is reachable' });
    expect(created.contact?.email).toBe(request.email);
    const again = await call<crmV1.CreateContactResponse>(app.client, 'CreateContact', request, caller.command(requestId));
    expect(again.contact?.contactId).toBe(created.contact?.contactId);
    // The email reservation and the contact: appended once, however often the command was sent.
    expect((await tenantEventCount(app, caller.tenantId)) - eventsBefore).toBe(2);
  });
});
