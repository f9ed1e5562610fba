import { status, type ServiceError } from '@grpc/grpc-js';
import type { crmV1 } from '@projectflo/contracts';
import { CONSISTENCY_HEADER, callUnary, callUnaryWithHeaders, decodeConsistencyToken } from '@projectflo/platform/grpc';
import { Caller } from '@projectflo/platform/testing';
import type { PoolClient } from 'pg';
import { type CrmTestApp, failure, registerOrganization, startCrmTestApp } from './testing/crm-test-app';

// Read-your-writes through the real crm server: a command's reply carries the token of what it
// wrote; a query that sends it answers only once the read model shows the write. The read-model
// consumer is held by a lock on its `leads` table (readers pass, its next lead upsert waits).

const SERVER_BOUND_MS = 2_000;
let app: CrmTestApp;
const owner = new Caller();
let contactId: string;

beforeAll(async () => {
  app = await startCrmTestApp({ env: { CONSISTENCY_WAIT_MS: String(SERVER_BOUND_MS) } });
  await registerOrganization(app, owner);
  await callUnary(app.client, 'DefineLeadStatus', { name: 'New Inquiry' }, owner.command());
  const { contact } = await callUnary<crmV1.CreateContactResponse>(
    app.client,
    'CreateContact',
    { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Ada', email: `ada-${owner.actorId}@consistency.example` },
    owner.command(),
  );
  contactId = contact!.contactId;
});

afterAll(async () => {
  await app?.close();
});

/** Holds the read-model consumer at its next write to `leads` until `release()`. */
async function holdLeadProjection(): Promise<{ release(): Promise<void> }> {
  const client: PoolClient = await app.pool.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE "${app.schema}".leads IN EXCLUSIVE MODE`);
  return {
    async release() {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

async function captureLead(): Promise<{ leadId: string; token: string }> {
  const { response, headers } = await callUnaryWithHeaders<crmV1.CaptureLeadResponse>(app.client, 'CaptureLead', { contactId, source: 'referral' }, owner.command());
  const [token] = headers.get(CONSISTENCY_HEADER);
  if (typeof token !== 'string') throw new Error(`CaptureLead replied without ${CONSISTENCY_HEADER}`);
  return { leadId: response.lead!.leadId, token };
}

function getLead(leadId: string, token?: string, timeoutMs = 15_000): Promise<crmV1.GetLeadResponse> {
  return callUnary<crmV1.GetLeadResponse>(app.client, 'GetLead', { leadId }, { ...owner.query(), ...(token !== undefined ? { [CONSISTENCY_HEADER]: token } : {}) }, timeoutMs);
}

it("names the command's event and its topic in the reply's token", async () => {
  const { leadId, token } = await captureLead();
  const [written] = decodeConsistencyToken(token);
  expect(written).toMatchObject({ topic: 'crm.lead.v1', type: 'LeadCaptured' });
  // The same token answers at once once the read model has the lead.
  expect((await getLead(leadId, token)).lead?.leadId).toBe(leadId);
});

it('holds a query that sends the token until the read model shows the write', async () => {
  const hold = await holdLeadProjection();
  let answered = false;
  try {
    const { leadId, token } = await captureLead();
    // Without the token the lagging read model does not know the lead yet.
    expect((await failure(getLead(leadId))).code).toBe(status.NOT_FOUND);
    const withToken = getLead(leadId, token).then((response) => {
      answered = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(answered).toBe(false);
    await hold.release();
    expect((await withToken).lead?.leadId).toBe(leadId);
  } finally {
    if (!answered) await hold.release().catch(() => undefined);
  }
});

it("answers DEADLINE_EXCEEDED when the caller's deadline comes first, UNAVAILABLE at the server's bound", async () => {
  const hold = await holdLeadProjection();
  try {
    const { leadId, token } = await captureLead();
    expect((await failure(getLead(leadId, token, 600))).code).toBe(status.DEADLINE_EXCEEDED);
    const started = Date.now();
    const bounded = (await failure(getLead(leadId, token, 15_000))) as ServiceError;
    expect(bounded.code).toBe(status.UNAVAILABLE);
    expect(bounded.details).toMatch(/read model has not reached the x-consistency-token .*crm_it_\w+\.read-model/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SERVER_BOUND_MS - 100);
  } finally {
    await hold.release();
  }
});

it('refuses a malformed token as INVALID_ARGUMENT naming the header', async () => {
  const error = await failure(getLead('lead-1', 'not-a-token'));
  expect(error.code).toBe(status.INVALID_ARGUMENT);
  expect(error.details).toContain(CONSISTENCY_HEADER);
});

it('gives a repeated command (same request id) the token of its first write', async () => {
  const headers = owner.command();
  const first = await callUnaryWithHeaders(app.client, 'CaptureLead', { contactId, source: 'repeat' }, headers);
  const again = await callUnaryWithHeaders(app.client, 'CaptureLead', { contactId, source: 'repeat' }, headers);
  expect(again.headers.get(CONSISTENCY_HEADER)).toEqual(first.headers.get(CONSISTENCY_HEADER));
});
