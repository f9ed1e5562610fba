import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { temporal as proto } from '@temporalio/proto';
import type { crmV1, tasksV1 } from '@projectflo/contracts';
import { eventually } from '@projectflo/platform/testing';
import {
  AesGcmPayloadCodec,
  createTemporalClient,
  isEncryptedPayload,
  payloadsIn,
  searchAttributeQuery,
  temporalConfigFromEnv,
  type TemporalClientHandle,
} from '@projectflo/platform/workflow';
import { endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';

// Issue 8: personal data put into a lead never reaches Temporal's store or a log line in plaintext.
// A lead (its contact's name, email and phone, its venue, capture notes and a note) carries
// sentinel strings through the task-engine's automation; the histories of every workflow of the
// tenant, fetched raw from the server (no codec), do not contain them. The templates' task text
// does travel in the expansion's payloads: it is absent from the raw history and present once the
// payloads are decoded with the codec, which proves the payloads are really there, encrypted.
// Finally no log line of either service process contains any sentinel.

const run = randomBytes(4).toString('hex');
const PERSONAL = {
  firstName: `Zelda${run}`,
  lastName: `Quintero${run}`,
  email: `zelda.${run}@privacy.example`,
  phone: `+44 20 7946 ${run.slice(0, 4)}`,
  venue: `Sentinel Manor ${run}`,
  captureNotes: `prefers calls after six ${run}`,
  note: `private: budget is tight ${run}`,
  ownerName: `Owner ${run}`,
  ownerEmail: `owner.${run}@privacy.example`,
};
/** Business text of a template, copied into every task it plans (and so into the workflow's payloads). */
const TEMPLATE_TEXT = `Countersign the contract ${run}T`;

let crm: ServiceProcess;
let tasks: ServiceProcess;
let temporal: TemporalClientHandle;
const t = newTenant();

beforeAll(async () => {
  [crm, tasks] = await Promise.all([ServiceProcess.create('crm', run), ServiceProcess.create('task-engine', run)]);
  await Promise.all([crm.start(), tasks.start()]);
  temporal = await createTemporalClient(temporalConfigFromEnv());
});

afterAll(async () => {
  await temporal?.close();
  await endRun(run, [crm, tasks]);
});

async function rawHistory(workflowId: string, runId: string): Promise<proto.api.history.v1.IHistory> {
  const events: proto.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await temporal.connection.workflowService.getWorkflowExecutionHistory({
      namespace: temporal.client.options.namespace,
      execution: { workflowId, runId },
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}

describe('personal data in a lead, through the automation', () => {
  it('never appears in the stored Temporal histories; the encrypted payloads decode with the codec', async () => {
    await crm.call('RegisterOrganization', { name: 'Privacy Studio', timezone: 'Europe/London', ownerName: PERSONAL.ownerName, ownerEmail: PERSONAL.ownerEmail }, t.headers());
    const statuses: Record<string, string> = {};
    for (const name of ['New Inquiry', 'Booked']) {
      statuses[name] = (await crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name }, t.headers())).leadStatus!.statusId;
    }
    // The task-engine learns the tenant's users from crm's organization events.
    await eventually(
      () => tasks.call<tasksV1.ListEventTypesResponse>('ListEventTypes', {}, t.headers()).then(() => true, () => false),
      (known) => known,
      { timeoutMs: 60_000, what: 'the task-engine to know the owner' },
    );
    for (const [key, status] of [['acknowledge', 'New Inquiry'], ['countersign', 'Booked']] as const) {
      await tasks.call('CreateTaskTemplate', {
        template: {
          key,
          trigger: { leadStatusId: statuses[status] },
          name: `${TEMPLATE_TEXT} (${key})`,
          description: TEMPLATE_TEXT,
          priority: 'TASK_PRIORITY_HIGH',
          dueOffset: { days: 1, hours: 0, anchor: 'DUE_ANCHOR_TRIGGER_TIME' },
        },
      }, t.headers());
    }
    await eventually(
      () => tasks.call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: statuses['Booked'] } }, t.headers()),
      (res) => (res.templates ?? []).length === 1,
      { what: 'the Booked template in the read model' },
    );

    const contact = await crm.call<crmV1.CreateContactResponse>('CreateContact', {
      type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: PERSONAL.firstName, lastName: PERSONAL.lastName, email: PERSONAL.email, phone: PERSONAL.phone,
    }, t.headers());
    const lead = await crm.call<crmV1.CaptureLeadResponse>('CaptureLead', {
      contactId: contact.contact!.contactId, statusId: statuses['New Inquiry'], eventDate: '2027-06-12', venue: PERSONAL.venue, source: 'website', notes: PERSONAL.captureNotes,
    }, t.headers());
    const leadId = lead.lead!.leadId;
    await crm.call('AddLeadNote', { leadId, body: PERSONAL.note }, t.headers());
    await crm.call('ChangeLeadStatus', { leadId, toStatusId: statuses['Booked'], reason: 'deposit paid' }, t.headers());

    // Both expansions ran: their tasks carry the template text.
    const created = await eventually(
      () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { page: { pageSize: 50 } }, t.headers()).then((r) => r.tasks ?? []),
      (list) => list.length >= 2,
      { timeoutMs: 90_000, what: 'the tasks of both expansions' },
    );
    expect(created.map((task) => task.name).sort()).toEqual([`${TEMPLATE_TEXT} (acknowledge)`, `${TEMPLATE_TEXT} (countersign)`]);

    const workflows = await eventually(
      async () => {
        const found: { workflowId: string; runId: string; status: string }[] = [];
        for await (const wf of temporal.client.workflow.list({ query: searchAttributeQuery({ tenantId: t.tenantId }) })) {
          found.push({ workflowId: wf.workflowId, runId: wf.runId, status: wf.status.name });
        }
        return found;
      },
      (found) => found.length >= 2 && found.every((wf) => wf.status !== 'RUNNING'),
      { what: "every workflow of the tenant, closed" },
    );

    const codec = new AesGcmPayloadCodec(temporal.payloadKeys);
    const personal = Object.values(PERSONAL);
    const decodedTexts: string[] = [];
    for (const wf of workflows) {
      const history = await rawHistory(wf.workflowId, wf.runId);
      const described = await temporal.connection.workflowService.describeWorkflowExecution({
        namespace: temporal.client.options.namespace,
        execution: { workflowId: wf.workflowId, runId: wf.runId },
      });
      // What the server stores and serves: the protobuf bytes, with every payload as written.
      const stored = Buffer.concat([
        proto.api.history.v1.History.encode(history).finish(),
        proto.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(described).finish(),
      ]);
      for (const text of [...personal, TEMPLATE_TEXT]) expect({ workflow: wf.workflowId, leaked: stored.includes(text) }).toEqual({ workflow: wf.workflowId, leaked: false });

      const payloads = payloadsIn(history);
      // Search attributes are the only clear payloads (ids, by design); everything else is encrypted.
      const clear = payloadsIn(history).filter((p) => !isEncryptedPayload(p));
      expect(payloads.length).toBeGreaterThan(clear.length);
      for (const payload of clear) expect(Buffer.from(payload.data ?? []).toString('utf8')).not.toMatch(/@|Zelda|Manor/);
      for (const decoded of await codec.decode(payloads.filter(isEncryptedPayload))) decodedTexts.push(Buffer.from(decoded.data ?? []).toString('utf8'));
    }
    const decoded = decodedTexts.join('\n');
    expect(decoded).toContain(TEMPLATE_TEXT);
    expect(decoded).toContain(leadId);
    // The automation carries ids and dates only: the lead's personal data never enters Temporal at all.
    for (const text of personal) expect(decoded).not.toContain(text);
  });

  it('never appears in a log line of either service process', () => {
    for (const service of [crm, tasks]) {
      const lines = readFileSync(service.logFile, 'utf8').split('\n').filter((line) => line.length > 0);
      expect(lines.length).toBeGreaterThan(5);
      for (const text of [...Object.values(PERSONAL), TEMPLATE_TEXT]) {
        expect({ service: service.service, text, lines: lines.filter((line) => line.includes(text)) }).toEqual({ service: service.service, text, lines: [] });
      }
    }
  });
});
