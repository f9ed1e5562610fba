import { crmOrganizationEventsV1 } from '@projectflo/contracts';
import { eventually } from '@projectflo/platform/testing';
import { userAddedMessage } from '../../../apps/task-engine/src/testing/task-engine.test-support';
import type { ServiceProcess } from './service-process';
import type { newTenant } from './tenant';

/*
 * Every caller must be an active user of its tenant. crm learns the owner when they register the
 * organization (RegisterOrganization with their token); the task-engine learns users from crm's
 * organization events, so it refuses (PERMISSION_DENIED) the owner of a studio crm registered a
 * moment ago until that event has reached it.
 */

type Tenant = ReturnType<typeof newTenant>;

/** A read every member may call on each service that learns its users from crm: what untilAdmitted probes with. */
const ADMISSION_PROBES: Readonly<Partial<Record<ServiceProcess['service'], string>>> = {
  'task-engine': 'GetBusinessCalendar',
  scheduling: 'GetReminderPolicy',
  notifications: 'ListNotificationRules',
  'build-ledger': 'ListCatalogItems',
};

/** The read `service` is probed with (ADMISSION_PROBES). */
function admissionProbe(service: ServiceProcess): string {
  const probe = ADMISSION_PROBES[service.service];
  if (!probe) throw new Error(`${service.service} does not learn its users from crm`);
  return probe;
}

/** Waits until `service` admits the caller whose headers these are (its user directory has crm's UserAdded). */
export async function untilAdmitted(service: ServiceProcess, headers: () => Record<string, string>): Promise<void> {
  const probe = admissionProbe(service);
  await eventually(() => service.call(probe, {}, headers()), () => true, { what: `${service.service} to admit the caller`, timeoutMs: 60_000 });
}

/**
 * Calls `service` once, with the consistency token of crm's RegisterOrganization (or AddUser): the
 * gate holds the call until the service's user directory has the user, so no polling is needed.
 */
export async function admittedAfter(service: ServiceProcess, token: string, tenant: Tenant): Promise<void> {
  await service.call(admissionProbe(service), {}, tenant.readAfter(token));
}

/** Waits until the task-engine admits the caller whose headers these are. */
export const untilTaskEngineAdmits = (tasks: ServiceProcess, headers: () => Record<string, string>): Promise<void> => untilAdmitted(tasks, headers);

/**
 * For runs without crm: tells the task-engine about the tenant's owner as crm would (UserAdded on
 * crm.organization.v1 in the run's topics), then waits until it admits them.
 */
export async function enrolOwnerOnTaskEngine(tasks: ServiceProcess, tenant: Tenant): Promise<void> {
  const producer = tasks.topics.client('e2e-enrol').producer();
  await producer.connect();
  try {
    await producer.send({ topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, messages: [userAddedMessage(tenant.tenantId, tenant.actorId)] });
  } finally {
    await producer.disconnect();
  }
  await untilTaskEngineAdmits(tasks, () => tenant.headers());
}
