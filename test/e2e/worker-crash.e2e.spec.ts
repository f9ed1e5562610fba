import { randomBytes } from 'node:crypto';
import type { crmV1, tasksV1 } from '@projectflo/contracts';
import { Pool } from 'pg';
import { eventually } from '@projectflo/platform/testing';
import { endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { untilTaskEngineAdmits } from './support/users';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';

// RELIABILITY scenario 1: kill -9 the task-engine (its Temporal worker runs in the same process)
// in the middle of a template expansion, start it again, and the task set is complete with no
// duplicates: task ids derive from (trigger event, template) and each createTask activity is
// idempotent by request id, so the retried activity and the replayed workflow add nothing twice.

const TEMPLATES = 60;
const run = randomBytes(4).toString('hex');
const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
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

/** TaskCreated events recorded in the task-engine's own event store for this tenant. */
async function recordedTaskCreations(tenantId: string): Promise<{ total: number; distinct: number }> {
  const { rows } = await pool.query<{ total: string; distinct: string }>(
    `SELECT count(*) AS total, count(DISTINCT stream_name) AS distinct FROM "${tasks.schema}".events WHERE tenant_id = $1 AND type = 'TaskCreated'`,
    [tenantId],
  );
  return { total: Number(rows[0].total), distinct: Number(rows[0].distinct) };
}

it('completes the task set exactly once after the worker is killed mid-expansion', async () => {
  const t = newTenant();
  await crm.call('RegisterOrganization', { name: 'Crash Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' }, t.headers());
  // The task-engine learns the owner from crm's organization events: wait until it admits them.
  await untilTaskEngineAdmits(tasks, () => t.headers());
  // Leads are captured into the first status; the change to Booked is what triggers the expansion.
  await crm.call('DefineLeadStatus', { name: 'New Inquiry' }, t.headers());
  const booked = (await crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: 'Booked' }, t.headers())).leadStatus!.statusId;
  for (let i = 0; i < TEMPLATES; i++) {
    await tasks.call('CreateTaskTemplate', {
      template: { key: `step-${String(i).padStart(2, '0')}`, trigger: { leadStatusId: booked }, name: `Step ${i}`, dueOffset: { days: 1, anchor: 'DUE_ANCHOR_TRIGGER_TIME' } },
    }, t.headers());
  }
  await eventually(
    () => tasks.call<tasksV1.ListTemplatesByTriggerResponse>('ListTemplatesByTrigger', { trigger: { leadStatusId: booked } }, t.headers()),
    (r) => (r.templates ?? []).length === TEMPLATES,
    { what: `${TEMPLATES} templates visible` },
  );
  const contact = await crm.call<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Kim', email: `kim.${run}@e2e.example` }, t.headers());
  const lead = await crm.call<crmV1.CaptureLeadResponse>('CaptureLead', { contactId: contact.contact!.contactId, source: 'referral' }, t.headers());
  await crm.call('ChangeLeadStatus', { leadId: lead.lead!.leadId, toStatusId: booked, reason: 'signed' }, t.headers());

  // Kill as soon as the expansion has begun creating tasks, and check it really was mid-way.
  const atKill = await eventually(() => recordedTaskCreations(t.tenantId), (c) => c.total > 0, { intervalMs: 5, timeoutMs: 60_000, what: 'the expansion to start creating tasks' });
  const pidBefore = tasks.pid;
  await tasks.kill9();
  const afterKill = await recordedTaskCreations(t.tenantId);
  expect(afterKill.total).toBeGreaterThan(0);
  expect(afterKill.total).toBeLessThan(TEMPLATES);
  expect(atKill.total).toBeLessThanOrEqual(afterKill.total);

  await tasks.start();
  expect(tasks.pid).not.toBe(pidBefore);
  const done = await eventually(() => recordedTaskCreations(t.tenantId), (c) => c.total >= TEMPLATES, { timeoutMs: 150_000, intervalMs: 500, what: 'the expansion to finish after the restart' });
  expect(done).toEqual({ total: TEMPLATES, distinct: TEMPLATES });

  const listed = await eventually(
    () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { leadId: lead.lead!.leadId, page: { pageSize: 200 } }, t.headers()).then((r) => r.tasks ?? []),
    (list) => list.length >= TEMPLATES,
    { timeoutMs: 60_000, what: 'every task in the read model' },
  );
  expect(listed).toHaveLength(TEMPLATES);
  expect(new Set(listed.map((task) => task.templateKey)).size).toBe(TEMPLATES);
});
