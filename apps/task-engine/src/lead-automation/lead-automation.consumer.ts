import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, crmLeadEventsV1 } from '@projectflo/contracts';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import type { EventEnvelope } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import type { ExpansionTrigger } from '@projectflo/task-engine/domain';
import { ExpansionRequestsRepository } from '../automation/expansion-requests.repository';
import { activeTemplateVersions } from '../templates/templates.queries';

const { CRM_LEAD_TOPIC_V1, crmLeadEventContractsV1 } = crmLeadEventsV1;
type LeadEvent = crmLeadEventsV1.CrmLeadEventV1;
/** The schema version and payload schema crm publishes for a lead event type. */
const published = (type: LeadEvent['type']) => contractChecks(crmLeadEventContractsV1, type);

/** The subject facts an expansion reads, as of the trigger (the same transaction that records the trigger). */
export interface SubjectFacts {
  readonly assigneeId: string | null;
  readonly eventDate: string | null;
}

export async function readSubjectFacts(tx: OrmTx, tenantId: string, subjectId: string): Promise<SubjectFacts> {
  const [row] = await tx.query<{ assignee_id: string | null; event_date: string | null }>(
    `SELECT assignee_id, to_char(event_date, 'YYYY-MM-DD') AS event_date FROM subjects WHERE tenant_id = $1 AND subject_id = $2`,
    [tenantId, subjectId],
  );
  return { assigneeId: row?.assignee_id ?? null, eventDate: row?.event_date ?? null };
}

/** The single `subjects` facts a lead event sets, by the column that holds each. */
interface SubjectFact {
  readonly assigneeId: string;
  readonly statusId: string;
  readonly archived: true;
}
/** Column names come from this fixed map, never from input. */
const SUBJECT_FACT_COLUMNS: { readonly [K in keyof SubjectFact]: string } = {
  assigneeId: 'assignee_id',
  statusId: 'status_id',
  archived: 'archived',
};

/** Sets one fact of a subject (creating the row if the lead's capture has not arrived yet) as of `at`. */
async function upsertSubject<K extends keyof SubjectFact>(
  tx: OrmTx,
  tenantId: string,
  subjectId: string,
  fact: K,
  value: SubjectFact[K],
  at: string,
): Promise<void> {
  const column = SUBJECT_FACT_COLUMNS[fact];
  await tx.query(
    `INSERT INTO subjects (tenant_id, subject_id, ${column}, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, subject_id) DO UPDATE SET ${column} = EXCLUDED.${column}, updated_at = EXCLUDED.updated_at`,
    [tenantId, subjectId, value, at],
  );
}

/**
 * Group `lead-automation` on crm.lead.v1: keeps the `subjects` table (lead → assignee, event
 * date, status) and requests the lead-status expansion when a lead enters a status (captured into
 * its first status, or moved); the ExpansionDispatcher starts it after the commit. Payloads are
 * validated against the published crm contract; a message that fails goes to the group's
 * dead-letter topic.
 */
@Injectable()
export class LeadAutomationConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly expansions: ExpansionRequestsRepository,
  ) {}

  onModuleInit(): void {
    this.consumers
      .events<LeadEvent>('lead-automation', [CRM_LEAD_TOPIC_V1])
      .on('LeadCaptured', (event, tx) => this.captured(event, tx), published('LeadCaptured'))
      .on('LeadAssigned', (event, tx) => this.assigned(event, tx), published('LeadAssigned'))
      .on('LeadStatusChanged', (event, tx) => this.statusChanged(event, tx), published('LeadStatusChanged'))
      .on('LeadArchived', (event, tx) => this.archived(event, tx), published('LeadArchived'));
  }

  private async captured(event: EventEnvelope<Extract<LeadEvent, { type: 'LeadCaptured' }>>, tx: OrmTx): Promise<void> {
    const tenantId = event.metadata.tenantId;
    const d = event.data;
    await tx.query(
      `INSERT INTO subjects (tenant_id, subject_id, event_date, status_id, assignee_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, subject_id) DO UPDATE SET event_date = EXCLUDED.event_date, status_id = EXCLUDED.status_id,
         assignee_id = COALESCE(EXCLUDED.assignee_id, subjects.assignee_id), updated_at = EXCLUDED.updated_at`,
      [tenantId, d.leadId, d.eventDate, d.statusId, d.assigneeId ?? null, d.capturedAt],
    );
    await this.expand(event, tx, d.leadId, d.statusId, d.capturedAt);
  }

  private async assigned(event: EventEnvelope<Extract<LeadEvent, { type: 'LeadAssigned' }>>, tx: OrmTx): Promise<void> {
    const d = event.data;
    await upsertSubject(tx, event.metadata.tenantId, d.leadId, 'assigneeId', d.assigneeId, d.assignedAt);
  }

  private async statusChanged(event: EventEnvelope<Extract<LeadEvent, { type: 'LeadStatusChanged' }>>, tx: OrmTx): Promise<void> {
    const d = event.data;
    await upsertSubject(tx, event.metadata.tenantId, d.leadId, 'statusId', d.toStatusId, d.changedAt);
    await this.expand(event, tx, d.leadId, d.toStatusId, d.changedAt);
  }

  private async archived(event: EventEnvelope<Extract<LeadEvent, { type: 'LeadArchived' }>>, tx: OrmTx): Promise<void> {
    const d = event.data;
    await upsertSubject(tx, event.metadata.tenantId, d.leadId, 'archived', true, d.archivedAt);
  }

  /**
   * Requests an expansion only when the tenant has an active template for the status, as the
   * event store says (never the read model, which may not show a template created just before):
   * most status changes of most tenants have none, and a workflow that would find nothing is load
   * without value. (It also keeps an isolated instance, e.g. a test's, from claiming workflow ids
   * of tenants that are not its own.)
   */
  private async expand(event: EventEnvelope, tx: OrmTx, leadId: string, statusId: string, occurredAt: string): Promise<void> {
    const tenantId = event.metadata.tenantId;
    if ((await activeTemplateVersions(tx, tenantId, { kind: 'lead_status', statusId })).length === 0) {
      this.logger.debug('no active templates for the status: nothing to expand', { tenantId, leadId, statusId, eventId: event.eventId });
      return;
    }
    const facts = await readSubjectFacts(tx, tenantId, leadId);
    const trigger: ExpansionTrigger = {
      kind: 'lead_status',
      statusId,
      triggerEventId: event.eventId,
      occurredAt,
      subjectId: leadId,
      subject: { assigneeId: facts.assigneeId, dates: facts.eventDate ? { event_date: facts.eventDate } : {} },
    };
    await this.expansions.request(tx, { tenantId, trigger, automationDepth: event.metadata.automationDepth ?? 0 }, this.clock.now());
  }
}
