/**
 * Loads the demo studio into a running platform over gRPC, the way a client app would. Every call
 * carries a fixed request id, so running it again changes nothing (commands are idempotent per
 * request id). Usage: node -r reflect-metadata -r @swc-node/register scripts/seed-demo.ts
 */
import { status } from '@grpc/grpc-js';
import { GRPC_CONTRACTS, GRPC_PORTS, PROTO_ROOT, type ServiceName, crmV1, type tasksV1 } from '@projectflo/contracts';
import { deriveId } from '@projectflo/platform/core';
import { callUnary, createGrpcClient, toTimestamp } from '@projectflo/platform/grpc';
import { devToken } from './auth';

/** The demo studio's tenant id (also its organization id). */
export const DEMO_TENANT_ID = '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
/** Avery Quinn, the demo studio's owner: the user who registers it. */
const OWNER_ID = deriveId('demo-user', 'avery');

function client(service: ServiceName) {
  const contract = GRPC_CONTRACTS[service];
  return createGrpcClient({
    address: `127.0.0.1:${process.env[`${service.toUpperCase().replace('-', '_')}_GRPC_PORT`] ?? GRPC_PORTS[service]}`,
    protoRoot: PROTO_ROOT,
    protoFile: contract.protoFile,
    fullServiceName: contract.fullServiceName,
  });
}

const crm = client('crm');
const tasks = client('task-engine');
const scheduling = client('scheduling');
const notifications = client('notifications');
const ledger = client('build-ledger');

/** The owner's access token, signed with the development keys (scripts/auth.ts). */
const OWNER_TOKEN = devToken(DEMO_TENANT_ID, OWNER_ID, ['owner']);

function call<R>(target: ReturnType<typeof client>, method: string, key: string, request: unknown): Promise<R> {
  return callUnary<R>(target, method, request, {
    authorization: `Bearer ${OWNER_TOKEN}`,
    'x-request-id': deriveId('demo-seed', key),
  }, 15_000);
}

async function seedCrm() {
  await call(crm, 'RegisterOrganization', 'org', {
    name: 'Golden Hour Films', timezone: 'Europe/London', ownerName: 'Avery Quinn', ownerEmail: 'avery@goldenhour.example',
  });
  const coordinator = await call<crmV1.AddUserResponse>(crm, 'AddUser', 'user:sam', {
    name: 'Sam Okafor', email: 'sam@goldenhour.example', role: 'USER_ROLE_MEMBER',
  });
  const statuses: Record<string, string> = {};
  for (const [name, description] of [
    ['New Inquiry', 'Just came in; nobody has replied yet'],
    ['Contacted', 'First reply sent, waiting for the couple'],
    ['Proposal Sent', 'Quote and package options sent'],
    ['Booked', 'Contract signed and deposit paid'],
    ['Lost', 'Went elsewhere or cancelled'],
  ]) {
    const res = await call<crmV1.DefineLeadStatusResponse>(crm, 'DefineLeadStatus', `status:${name}`, { name, description });
    statuses[name] = res.leadStatus!.statusId;
  }
  return { ownerId: OWNER_ID, coordinatorId: coordinator.user!.userId, statuses };
}

async function seedTaskTemplates(statuses: Record<string, string>, coordinatorId: string) {
  const template = (key: string, statusName: string, name: string, extra: Record<string, unknown> = {}) =>
    call(tasks, 'CreateTaskTemplate', `template:${key}`, {
      template: {
        key,
        trigger: { leadStatusId: statuses[statusName] },
        name,
        priority: 'TASK_PRIORITY_MEDIUM',
        dueOffset: { days: 1, hours: 0, businessDays: true, anchor: 'DUE_ANCHOR_TRIGGER_TIME' },
        defaultAssignee: { rule: 'ASSIGNEE_RULE_LEAD_ASSIGNEE' },
        ...extra,
      },
    });
  await template('send-welcome-pack', 'Contacted', 'Send the welcome pack and brochure', { phase: 'sales' });
  await template('schedule-discovery-call', 'Contacted', 'Schedule a discovery call', {
    priority: 'TASK_PRIORITY_HIGH',
    dependsOn: ['send-welcome-pack'],
    phase: 'sales',
  });
  await template('countersign-contract', 'Booked', 'Countersign the contract', {
    priority: 'TASK_PRIORITY_CRITICAL',
    defaultAssignee: { userId: coordinatorId },
    phase: 'contract',
  });
  await template('plan-shot-list', 'Booked', 'Plan the shot list with the couple', {
    dueOffset: { days: -14, hours: 9, businessDays: false, anchor: 'DUE_ANCHOR_SUBJECT_DATE', anchorField: 'event_date' },
    checklistItems: [
      { itemKey: 'ceremony', title: 'Ceremony must-haves' },
      { itemKey: 'family', title: 'Family group list' },
    ],
    dependsOn: ['countersign-contract'],
    effortHours: '2.5',
    phase: 'pre-production',
  });
  await template('send-questionnaire', 'Booked', 'Send the planning questionnaire', { phase: 'pre-production' });
  await call(tasks, 'DefineEventType', 'event-type:venue-walkthrough', {
    eventType: 'venue.walkthrough.booked',
    name: 'Venue walkthrough booked',
    subjectDateFields: ['walkthrough_date'],
  });
}

async function seedLeads(statuses: Record<string, string>, ownerId: string): Promise<Record<string, string>> {
  const leadIds: Record<string, string> = {};
  const people = [
    { key: 'priya', firstName: 'Priya', lastName: 'Shah', email: 'priya.shah@example.com', eventDate: '2027-06-12', venue: 'Kew Gardens', status: 'Booked' },
    { key: 'tom', firstName: 'Tom', lastName: 'Adeyemi', email: 'tom.adeyemi@example.com', eventDate: '2027-09-04', venue: 'The Barn at Upcote', status: 'Contacted' },
    { key: 'lena', firstName: 'Lena', lastName: 'Fischer', email: 'lena.fischer@example.com', eventDate: '2027-05-22', venue: 'Hackney Town Hall', status: 'New Inquiry' },
  ];
  for (const p of people) {
    const contact = await call<crmV1.CreateContactResponse>(crm, 'CreateContact', `contact:${p.key}`, {
      type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: p.firstName, lastName: p.lastName, email: p.email,
    });
    const lead = await call<crmV1.CaptureLeadResponse>(crm, 'CaptureLead', `lead:${p.key}`, {
      contactId: contact.contact!.contactId, statusId: statuses['New Inquiry'], eventDate: p.eventDate, venue: p.venue,
      source: 'website', sourceDetails: 'contact form', temperature: 'LEAD_TEMPERATURE_WARM', assigneeId: ownerId,
    });
    leadIds[p.key] = lead.lead!.leadId;
    const path = ['Contacted', 'Booked'];
    for (const next of path.slice(0, path.indexOf(p.status) + 1)) {
      await call(crm, 'ChangeLeadStatus', `lead:${p.key}:status:${next}`, { leadId: lead.lead!.leadId, toStatusId: statuses[next], reason: 'demo' });
    }
  }
  return leadIds;
}

/** Templates take effect once the task-engine's read model shows them; leads move only after. */
async function templatesVisible(statuses: Record<string, string>): Promise<void> {
  const expected: [string, number][] = [['Contacted', 2], ['Booked', 3]];
  for (let attempt = 0; attempt < 150; attempt++) {
    let ready = true;
    for (const [status, count] of expected) {
      const res = await call<{ templates?: unknown[] }>(tasks, 'ListTemplatesByTrigger', `list:${status}:${attempt}`, { trigger: { leadStatusId: statuses[status] } });
      if ((res.templates ?? []).length < count) ready = false;
    }
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the demo templates did not become visible in the task-engine within 30 s');
}

/**
 * The task-engine, scheduling and notifications learn the organization's users from crm's events:
 * until the owner's arrives, each refuses the owner's calls (PERMISSION_DENIED, not an active user).
 */
async function ownerKnownTo(target: ReturnType<typeof client>, service: string, probe: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const known = await call(target, probe, `owner-known:${service}:${attempt}`, {}).then(
      () => true,
      (error: { code?: number }) => {
        if (error.code !== status.PERMISSION_DENIED) throw error;
        return false;
      },
    );
    if (known) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service} did not learn the demo owner from crm's events within 60 s`);
}

/**
 * The studio's reminders: 3 days, 1 day and 2 hours before a due date, overdue a day after; an
 * email to the assignee for each reminder, the due moment and an overdue task, and an in-app
 * notice when a task is created. Sent mail lands in Mailpit (http://127.0.0.1:8025).
 */
async function seedRemindersAndRules(): Promise<void> {
  await call(scheduling, 'SetReminderPolicy', 'reminder-policy', {
    policy: { offsets: ['P3D', 'P1D', 'PT2H'], outsideWorkingTime: 'OUTSIDE_WORKING_TIME_FIRE_ANYWAY', overdueAfter: 'P1D' },
  });
  const { rules } = await call<{ rules?: { rule?: { name?: string } }[] }>(notifications, 'ListNotificationRules', 'rules:list', {});
  const existing = new Set((rules ?? []).map((r) => r.rule?.name));
  const assignee = [{ kind: 'RECIPIENT_KIND_ASSIGNEE' }];
  const body = 'Hi {{recipient.name}},\n\n{{task.name}} ({{task.priority}}) is due {{task.dueAt}}.\n\nGolden Hour Films';
  for (const [name, trigger, channel, subject] of [
    ['Reminder before the due date', 'NOTIFICATION_TRIGGER_REMINDER_DUE', 'NOTIFICATION_CHANNEL_EMAIL', 'Reminder: {{task.name}} is due {{task.dueAt}}'],
    ['Due now', 'NOTIFICATION_TRIGGER_TASK_DUE', 'NOTIFICATION_CHANNEL_EMAIL', 'Due now: {{task.name}}'],
    ['Overdue alert', 'NOTIFICATION_TRIGGER_TASK_OVERDUE', 'NOTIFICATION_CHANNEL_EMAIL', 'Overdue: {{task.name}}'],
    ['New task', 'NOTIFICATION_TRIGGER_TASK_CREATED', 'NOTIFICATION_CHANNEL_IN_APP', 'New task: {{task.name}}'],
  ]) {
    if (existing.has(name)) continue;
    await call(notifications, 'DefineNotificationRule', `rule:${name}`, { rule: { name, trigger, channel, recipients: assignee, subject, body } });
  }
}

/**
 * One task due 2 h 3 min after the seed, so its 2-hour reminder email reaches Mailpit about three
 * minutes after `platform.sh up`: the questionnaire task of the booked lead, once the automation made it.
 */
async function taskDueSoon(): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { tasks: list } = await call<tasksV1.ListTasksResponse>(tasks, 'ListTasks', `due-soon:list:${attempt}`, { page: { pageSize: 50 } });
    const questionnaire = (list ?? []).find((task) => task.templateKey === 'send-questionnaire');
    if (questionnaire) {
      await call(tasks, 'RescheduleTask', 'due-soon:reschedule', {
        taskId: questionnaire.taskId, dueAt: toTimestamp(new Date(Date.now() + (2 * 60 + 3) * 60_000)), reason: 'demo: a reminder within minutes',
      }).catch((error: { code?: number }) => {
        // A seed run before rescheduled it already (same request id, another due time): keep that one.
        if (error.code !== status.ALREADY_EXISTS) throw error;
      });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the questionnaire task of the booked demo lead did not appear within 60 s');
}

/**
 * The booked couple's job in build-ledger: a small catalog, a build priced from it for Priya's
 * lead, approved and booked (BuildBooked: the task-engine's component recipe makes the editing
 * tasks, scheduling lists the videographers to staff), a 30/70 payment schedule and the paid deposit.
 */
async function seedBuild(leadId: string): Promise<void> {
  const gbp = (amount: string) => ({ currency: 'GBP', amount });
  const item = async (key: string, request: object) =>
    (await call<{ item: { itemId: string } }>(ledger, 'UpsertCatalogItem', `catalog:${key}`, request)).item.itemId;
  const ceremony = await item('ceremony', { name: 'Ceremony', coverageScene: {} });
  const colour = await item('colour', { name: 'Colour grading', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_FIXED', price: gbp('250.00'), category: 'post-production', active: true } });
  const album = await item('album', { name: 'Parent album', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_PER_UNIT', price: gbp('189.00'), category: 'products', active: true } });
  const cinematic = await item('cinematic', { name: 'Cinematic', editingStyle: { ratePerMinute: gbp('12.50'), requirements: [{ billableItemId: colour, quantity: '1' }] } });
  const videographer = await item('videographer', { name: 'Videographer', operatorType: { pricing: 'OPERATOR_PRICING_HOURLY', rate: gbp('95.00') } });
  const film = await item('film', {
    name: 'Highlight film',
    deliverable: { price: gbp('1200.00'), defaultComponents: [{ sceneId: ceremony, editingStyleId: cinematic, targetMinutes: 5, included: true }] },
  });
  const template = async (key: string, name: string, extra: object = {}) =>
    (await call<{ template: { templateId: string } }>(tasks, 'CreateTaskTemplate', `template:${key}`, {
      template: { key, trigger: { eventType: 'production.edit' }, name, priority: 'TASK_PRIORITY_HIGH', dueOffset: { days: 21, hours: 9, anchor: 'DUE_ANCHOR_SUBJECT_DATE', anchorField: 'event_date' }, defaultAssignee: { userId: OWNER_ID }, phase: 'post-production', ...extra },
    })).template.templateId;
  const edit = await template('edit-highlight-film', 'Edit the highlight film');
  const deliver = await template('deliver-highlight-film', 'Deliver the highlight film', { dependsOn: ['edit-highlight-film'] });
  await call(tasks, 'DefineComponentRecipe', 'recipe:highlight-film', {
    recipe: { recipeId: deriveId('demo-recipe', 'highlight-film'), name: 'Highlight film', deliverableId: film, sceneId: '', editingStyleId: '', templateIds: [edit, deliver] },
  });

  const { build } = await call<{ build: { buildId: string } }>(ledger, 'CreateBuild', 'build:priya', { leadId, name: 'Priya & Sam, Kew Gardens', currency: 'GBP', eventDate: '2027-06-12' });
  const buildId = build.buildId;
  await call(ledger, 'ConfigureBuild', 'build:priya:configure', {
    buildId,
    changes: [
      { addCoverage: { sceneId: ceremony, operatorTypeId: videographer, quantity: 2, hours: '8' } },
      { addDeliverable: { deliverableId: film } },
      { addBillableItem: { billableItemId: album, quantity: '2', notes: 'one for each family' } },
    ],
  });
  await call(ledger, 'ApproveBuild', 'build:priya:approve', { buildId });
  await call(ledger, 'BookBuild', 'build:priya:book', { buildId });
  const { ledger: books } = await call<{ ledger: { schedule: { partId: string; label: string; amount: { amount: string }; dueDate: string }[] } }>(ledger, 'SetPaymentSchedule', 'build:priya:schedule', {
    buildId,
    parts: [
      { label: 'Deposit', percent: '30', anchor: 'SCHEDULE_ANCHOR_BOOKING', offsetDays: 0 },
      { label: 'Balance', percent: '70', anchor: 'SCHEDULE_ANCHOR_EVENT_DATE', offsetDays: -30 },
    ],
  });
  const deposit = books.schedule[0]!;
  const { invoiceId } = await call<{ invoiceId: string }>(ledger, 'DraftInvoice', 'build:priya:deposit:draft', {
    buildId, schedulePartId: deposit.partId, dueDate: deposit.dueDate,
    lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Deposit: Priya & Sam, Kew Gardens', unitPrice: deposit.amount, quantity: '1', taxable: false }],
  });
  await call(ledger, 'IssueInvoice', 'build:priya:deposit:issue', { buildId, invoiceId });
  await call(ledger, 'RecordPayment', 'build:priya:deposit:pay', {
    buildId, invoiceId, externalTransactionId: 'demo-card-priya-deposit', method: 'PAYMENT_METHOD_CARD', amount: deposit.amount, effectiveDate: deposit.dueDate,
  });
}

async function main(): Promise<void> {
  const { ownerId, coordinatorId, statuses } = await seedCrm();
  await ownerKnownTo(tasks, 'task-engine', 'ListEventTypes');
  await ownerKnownTo(scheduling, 'scheduling', 'GetReminderPolicy');
  await ownerKnownTo(notifications, 'notifications', 'ListNotificationRules');
  await ownerKnownTo(ledger, 'build-ledger', 'ListCatalogItems');
  await seedRemindersAndRules();
  await seedTaskTemplates(statuses, coordinatorId);
  await templatesVisible(statuses);
  const leads = await seedLeads(statuses, ownerId);
  await taskDueSoon();
  await seedBuild(leads['priya']!);
  console.log(`demo data loaded for tenant ${DEMO_TENANT_ID}. A token of its owner, Avery Quinn (valid 1 h):
  TOKEN=$(node -r @swc-node/register scripts/auth.ts token --tenant ${DEMO_TENANT_ID} --user ${OWNER_ID} --role owner)
  grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{}' 127.0.0.1:${GRPC_PORTS.crm} projectflo.crm.v1.CrmService/ListLeads
The 2-hour reminder of "Send the planning questionnaire" reaches Avery's inbox in Mailpit (http://127.0.0.1:8025) in about 3 minutes.`);
  for (const c of [crm, tasks, scheduling, notifications, ledger]) c.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('demo seed failed:', error);
    process.exit(1);
  });
}
