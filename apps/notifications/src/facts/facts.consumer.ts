import { Injectable, type OnModuleInit } from '@nestjs/common';
import { crmContactEventsV1, crmLeadEventsV1, crmOrganizationEventsV1, tasksTaskEventsV1 } from '@projectflo/contracts';
import type { DomainEvent } from '@projectflo/platform/core';
import { ConsumerFactory } from '@projectflo/platform/service';
import { onContract } from '../shared/on-contract';

const tasks = tasksTaskEventsV1.tasksTaskEventContractsV1;
const leads = crmLeadEventsV1.crmLeadEventContractsV1;
const contacts = crmContactEventsV1.crmContactEventContractsV1;
const organization = crmOrganizationEventsV1.crmOrganizationEventContractsV1;

/**
 * Group `facts`: what a message is addressed and rendered with, each from the events of the
 * context that owns it — tasks (tasks.task.v1: name, due date, priority, status, assignee, template,
 * lead), leads (crm.lead.v1: owner, contact), contacts (crm.contact.v1: name), the studio and its
 * users (crm.organization.v1: name, time zone; users' name, email, zone, role, active). Each fact is
 * keyed by its aggregate, whose events arrive in order, and every write is an upsert or an update
 * of a known row, so a redelivery changes nothing. These tables lag their sources: the delivery
 * workflow's resolve activity waits for a fact it needs instead of deciding "nobody" from them.
 */
@Injectable()
export class FactsConsumer implements OnModuleInit {
  constructor(private readonly consumers: ConsumerFactory) {}

  onModuleInit(): void {
    const consumer = this.consumers.events<DomainEvent>('facts', [
      tasksTaskEventsV1.TASKS_TASK_TOPIC_V1,
      crmLeadEventsV1.CRM_LEAD_TOPIC_V1,
      crmContactEventsV1.CRM_CONTACT_TOPIC_V1,
      crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1,
    ]);

    onContract(consumer, tasks, 'TaskCreated', (d, _e, tx) =>
      tx.query(
        `INSERT INTO task_facts (tenant_id, task_id, name, due_at, priority, status, assignee_id, template_key, lead_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, task_id) DO NOTHING`,
        [d.tenantId, d.taskId, d.name, d.dueAt, d.priority, d.status, d.assigneeId, d.source.templateKey, d.source.trigger.kind === 'lead_status' ? d.source.subjectId : null],
      ),
    );
    onContract(consumer, tasks, 'TaskStatusChanged', (d, _e, tx) => tx.query('UPDATE task_facts SET status = $3 WHERE tenant_id = $1 AND task_id = $2', [d.tenantId, d.taskId, d.to]));
    onContract(consumer, tasks, 'TaskBecameReady', (d, _e, tx) => tx.query('UPDATE task_facts SET status = $3 WHERE tenant_id = $1 AND task_id = $2', [d.tenantId, d.taskId, d.to]));
    onContract(consumer, tasks, 'TaskArchived', (d, _e, tx) => tx.query('UPDATE task_facts SET status = $3 WHERE tenant_id = $1 AND task_id = $2', [d.tenantId, d.taskId, d.to]));
    onContract(consumer, tasks, 'TaskAssigned', (d, _e, tx) => tx.query('UPDATE task_facts SET assignee_id = $3 WHERE tenant_id = $1 AND task_id = $2', [d.tenantId, d.taskId, d.assigneeId]));
    onContract(consumer, tasks, 'TaskRescheduled', (d, _e, tx) => tx.query('UPDATE task_facts SET due_at = $3 WHERE tenant_id = $1 AND task_id = $2', [d.tenantId, d.taskId, d.dueAt]));

    onContract(consumer, leads, 'LeadCaptured', (d, e, tx) =>
      tx.query(
        `INSERT INTO lead_facts (tenant_id, lead_id, owner_id, contact_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, lead_id) DO NOTHING`,
        [e.metadata.tenantId, d.leadId, d.assigneeId ?? null, d.contactId],
      ),
    );
    onContract(consumer, leads, 'LeadAssigned', (d, e, tx) => tx.query('UPDATE lead_facts SET owner_id = $3 WHERE tenant_id = $1 AND lead_id = $2', [e.metadata.tenantId, d.leadId, d.assigneeId]));

    onContract(consumer, contacts, 'ContactCreated', (d, e, tx) =>
      tx.query(
        `INSERT INTO contact_facts (tenant_id, contact_id, first_name, last_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, contact_id) DO NOTHING`,
        [e.metadata.tenantId, d.contactId, d.firstName, d.lastName],
      ),
    );
    onContract(consumer, contacts, 'ContactUpdated', (d, e, tx) =>
      tx.query('UPDATE contact_facts SET first_name = COALESCE($3, first_name), last_name = COALESCE($4, last_name) WHERE tenant_id = $1 AND contact_id = $2', [
        e.metadata.tenantId,
        d.contactId,
        d.changes.firstName ?? null,
        d.changes.lastName ?? null,
      ]),
    );

    onContract(consumer, organization, 'OrganizationRegistered', (d, e, tx) =>
      tx.query('INSERT INTO tenant_facts (tenant_id, name, timezone) VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO NOTHING', [e.metadata.tenantId, d.name, d.timezone]),
    );
    onContract(consumer, organization, 'OrganizationTimezoneChanged', (d, e, tx) => tx.query('UPDATE tenant_facts SET timezone = $2 WHERE tenant_id = $1', [e.metadata.tenantId, d.timezone]));
    onContract(consumer, organization, 'UserAdded', (d, e, tx) =>
      tx.query(
        `INSERT INTO recipients (tenant_id, user_id, name, email, timezone, role, active) VALUES ($1, $2, $3, $4, $5, $6, true)
         ON CONFLICT (tenant_id, user_id) DO NOTHING`,
        [e.metadata.tenantId, d.userId, d.name, d.email, d.timezone, d.role],
      ),
    );
    onContract(consumer, organization, 'UserTimezoneChanged', (d, e, tx) => tx.query('UPDATE recipients SET timezone = $3 WHERE tenant_id = $1 AND user_id = $2', [e.metadata.tenantId, d.userId, d.timezone]));
    onContract(consumer, organization, 'UserRoleChanged', (d, e, tx) => tx.query('UPDATE recipients SET role = $3 WHERE tenant_id = $1 AND user_id = $2', [e.metadata.tenantId, d.userId, d.role]));
    onContract(consumer, organization, 'UserDeactivated', (d, e, tx) => tx.query('UPDATE recipients SET active = false WHERE tenant_id = $1 AND user_id = $2', [e.metadata.tenantId, d.userId]));
    onContract(consumer, organization, 'UserReactivated', (d, e, tx) => tx.query('UPDATE recipients SET active = true WHERE tenant_id = $1 AND user_id = $2', [e.metadata.tenantId, d.userId]));
  }
}
