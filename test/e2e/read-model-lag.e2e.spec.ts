import { randomBytes, randomUUID } from 'node:crypto';
import type { crmV1, tasksV1 } from '@projectflo/contracts';
import { toTimestamp } from '@projectflo/platform/grpc';
import { eventually } from '@projectflo/platform/testing';
import { Pool, type PoolClient } from 'pg';
import { endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { untilTaskEngineAdmits } from './support/users';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';

// RELIABILITY scenario 15: the task-engine's read model lags (its consumer is held) while a
// template is created and then triggered, by a lead status change from crm and by an external
// event. No automation may decide "no templates, nothing to do" from the stale read model: the
// expansions plan from the event store, and the tasks are all there once the read model catches up.
//
// The read-model consumer is held by a lock: the test takes an EXCLUSIVE lock on its
// `task_templates` table, which lets readers through but makes the consumer's first template
// upsert wait (and every message behind it, the consumer handles one at a time). A lock takes no
// transaction id, so the relays keep publishing meanwhile.

const run = randomBytes(4).toString('hex');
const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 3 });
let crm: ServiceProcess;
let tasks: ServiceProcess;

beforeAll(async () => {
  [crm, tasks] = await Promise.all([ServiceProcess.create('crm', run), ServiceProcess.create('task-engine', run)]);
  await Promise.all([crm.start(), tasks.start()]);
});

afterAll(async () => {
  await endRun(run, [crm, tasks]);
  await pool.end();
});

/** Holds the task-engine's read-model consumer at its next template event until `release()`. */
async function holdTemplateProjection(): Promise<{ release(): Promise<void> }> {
  const client: PoolClient = await pool.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE "${tasks.schema}".task_templates IN EXCLUSIVE MODE`);
  let held = true;
  return {
    async release() {
      if (!held) return;
      held = false;
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

/** TaskCreated events in the task-engine's event store for the subject: what the expansions did, whatever the read model shows. */
async function recordedTaskKeys(tenantId: string, subjectId: string): Promise<string[]> {
  const { rows } = await pool.query<{ key: string }>(
    `SELECT data->'source'->>'templateKey' AS key FROM "${tasks.schema}".events
      WHERE tenant_id = $1 AND type = 'TaskCreated' AND data->'source'->>'subjectId' = $2 ORDER BY 1`,
    [tenantId, subjectId],
  );
  return rows.map((r) => r.key);
}

it('expands a template the read model does not show yet, for a status change and for an external event', async () => {
  const t = newTenant();
  await crm.call('RegisterOrganization', { name: 'Lagging Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, t.headers());
  // The task-engine learns the owner from crm's organization events: wait until it admits them.
  await untilTaskEngineAdmits(tasks, () => t.headers());
  // Leads are captured into the first status; the change to Booked is what triggers the expansion.
  await crm.call('DefineLeadStatus', { name: 'New Inquiry' }, t.headers());
  const booked = (await crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: 'Booked' }, t.headers())).leadStatus!.statusId;
  await tasks.call('DefineEventType', { eventType: 'deposit.paid', name: 'Deposit paid' }, t.headers());
  const contact = await crm.call<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Lee', email: `lee.${run}@e2e.example` }, t.headers());
  const leadId = (await crm.call<crmV1.CaptureLeadResponse>('CaptureLead', { contactId: contact.contact!.contactId, source: 'referral' }, t.headers())).lead!.leadId;

  const hold = await holdTemplateProjection();
  try {
    const dueOffset = { days: 2, anchor: 'DUE_ANCHOR_TRIGGER_TIME' };
    await tasks.call('CreateTaskTemplate', { template: { key: 'send-contract', trigger: { leadStatusId: booked }, name: 'Send the contract', dueOffset } }, t.headers());
    await tasks.call('CreateTaskTemplate', { template: { key: 'book-venue', trigger: { leadStatusId: booked }, name: 'Book the venue', dueOffset } }, t.headers());
    await tasks.call('CreateTaskTemplate', { template: { key: 'thank-client', trigger: { eventType: 'deposit.paid' }, name: 'Thank the client', dueOffset } }, t.headers());

    await crm.call('ChangeLeadStatus', { leadId, toStatusId: booked, reason: 'signed' }, t.headers());
    const paidSubject = `booking-${randomUUID()}`;
    await tasks.call('IngestExternalEvent', {
      eventType: 'deposit.paid', subjectId: paidSubject, payloadJson: '{}', occurredAt: toTimestamp(new Date()), idempotencyKey: `paid-${run}`,
    }, t.headers());

    // Both expansions run to completion while the read model still knows none of the templates.
    expect(await eventually(() => recordedTaskKeys(t.tenantId, leadId), (keys) => keys.length >= 2, { timeoutMs: 60_000, what: 'the lead expansion' })).toEqual(['book-venue', 'send-contract']);
    expect(await eventually(() => recordedTaskKeys(t.tenantId, paidSubject), (keys) => keys.length >= 1, { timeoutMs: 60_000, what: 'the event expansion' })).toEqual(['thank-client']);
    const shown = await tasks.call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: booked } }, t.headers());
    expect(shown.templates ?? []).toEqual([]);

    await hold.release();
    const listed = await eventually(
      () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { page: { pageSize: 50 } }, t.headers()).then((r) => r.tasks ?? []),
      (list) => list.length >= 3,
      { timeoutMs: 60_000, what: 'the tasks in the read model once it caught up' },
    );
    expect(listed.map((task) => `${task.subjectId}:${task.templateKey}`).sort()).toEqual(
      [`${leadId}:book-venue`, `${leadId}:send-contract`, `${paidSubject}:thank-client`].sort(),
    );
  } finally {
    await hold.release();
  }
});
