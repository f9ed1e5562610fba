/**
 * Loads the demo studio into a running platform over gRPC, the way a client app would. Every call
 * carries a fixed request id, so running it again changes nothing (commands are idempotent per
 * request id). Usage: node -r reflect-metadata -r @swc-node/register scripts/seed-demo.ts
 */
import { status } from '@grpc/grpc-js';
import { GRPC_CONTRACTS, GRPC_PORTS, PROTO_ROOT, type ServiceName, crmV1 } from '@projectflo/contracts';
import { deriveId } from '@projectflo/platform/core';
import { callUnary, createGrpcClient } from '@projectflo/platform/grpc';
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

async function seedLeads(statuses: Record<string, string>, ownerId: string) {
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
    const path = ['Contacted', 'Booked'];
    for (const next of path.slice(0, path.indexOf(p.status) + 1)) {
      await call(crm, 'ChangeLeadStatus', `lead:${p.key}:status:${next}`, { leadId: lead.lead!.leadId, toStatusId: statuses[next], reason: 'demo' });
    }
  }
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
 * The task-engine learns the organization's users from crm's events: until the owner's arrives,
 * it refuses the owner's calls (PERMISSION_DENIED, not an active user).
 */
async function ownerKnownToTaskEngine(): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const known = await call(tasks, 'ListEventTypes', `owner-known:${attempt}`, {}).then(
      () => true,
      (error: { code?: number }) => {
        if (error.code !== status.PERMISSION_DENIED) throw error;
        return false;
      },
    );
    if (known) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the task-engine did not learn the demo owner from crm's events within 30 s");
}

async function main(): Promise<void> {
  const { ownerId, coordinatorId, statuses } = await seedCrm();
  await ownerKnownToTaskEngine();
  await seedTaskTemplates(statuses, coordinatorId);
  await templatesVisible(statuses);
  await seedLeads(statuses, ownerId);
  console.log(`demo data loaded for tenant ${DEMO_TENANT_ID}. A token of its owner, Avery Quinn (valid 1 h):
  TOKEN=$(node -r @swc-node/register scripts/auth.ts token --tenant ${DEMO_TENANT_ID} --user ${OWNER_ID} --role owner)
  grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{}' 127.0.0.1:${GRPC_PORTS.crm} projectflo.crm.v1.CrmService/ListLeads`);
  crm.close();
  tasks.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('demo seed failed:', error);
    process.exit(1);
  });
}
