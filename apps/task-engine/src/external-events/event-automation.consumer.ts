import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import type { EventEnvelope } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import {
  eventTypeCatalogDecider,
  findEventTypeByKey,
  subjectDatesFromPayload,
  TASK_ENGINE_TOPICS,
  TaskEngineStreams,
  type ExpansionTrigger,
  type ExternalEventIngested,
} from '@projectflo/task-engine/domain';
import { ExpansionRequestsRepository } from '../automation/expansion-requests.repository';
import { readSubjectFacts } from '../lead-automation/lead-automation.consumer';
import { taskEngineEventChecks } from '../shared/event-checks';

/**
 * Group `event-automation` on the service's own tasks.external-event.v1: every ingested external
 * event requests its event-type expansion once (the ExpansionDispatcher starts it after the
 * commit; its plan reads the templates from the event store). Subject dates come from the payload
 * fields the event type declares as dates, over the facts known about the subject (a lead's event
 * date, assignee).
 */
@Injectable()
export class EventAutomationConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly executor: CommandExecutor,
    private readonly expansions: ExpansionRequestsRepository,
  ) {}

  onModuleInit(): void {
    this.consumers
      .events<ExternalEventIngested>('event-automation', [TASK_ENGINE_TOPICS.externalEvent])
      .on('ExternalEventIngested', (event, tx) => this.ingested(event, tx), taskEngineEventChecks('ExternalEventIngested'));
  }

  private async ingested(event: EventEnvelope<ExternalEventIngested>, tx: OrmTx): Promise<void> {
    const d = event.data;
    const tenantId = event.metadata.tenantId;
    const catalog = await this.executor.load(eventTypeCatalogDecider, TaskEngineStreams.eventTypes(tenantId), tenantId);
    const fields = findEventTypeByKey(catalog.state, d.eventTypeKey)?.subjectDateFields ?? [];
    const facts = await readSubjectFacts(tx, tenantId, d.subjectId);
    const dates = { ...(facts.eventDate ? { event_date: facts.eventDate } : {}), ...subjectDatesFromPayload(d.payload, fields) };
    const trigger: ExpansionTrigger = {
      kind: 'event_type',
      eventTypeKey: d.eventTypeKey,
      triggerEventId: d.eventId,
      occurredAt: d.occurredAt,
      subjectId: d.subjectId,
      subject: { assigneeId: facts.assigneeId, dates },
    };
    await this.expansions.request(tx, { tenantId, automationDepth: d.automationDepth, trigger }, this.clock.now());
  }
}
