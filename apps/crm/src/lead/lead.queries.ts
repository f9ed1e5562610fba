import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import type { crmV1 } from '@projectflo/contracts';
import { CrmAggregate, streamName } from '@projectflo/crm/domain';
import { DomainError, type EventStore } from '@projectflo/platform/core';
import {
  idRequestSchema,
  isTimestampInstant,
  optionalCalendarDate,
  pageRequest,
  presenceUuid,
  type RequestContext,
  toPage,
  uuid,
  validate,
} from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { EVENT_STORE, MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { int64, timestamp } from '../shared/crm-grpc.mapping';
import {
  CommunicationSchema,
  LeadAssignmentSchema,
  LeadNoteSchema,
  LeadSchema,
  LeadStatusChangeSchema,
  type LeadRow,
} from './lead.entities';
import { communicationToProto, leadToProto } from './lead.mapping';
import { historyData, visibleNotes } from './lead.privacy';

/** Where the previous page ended: the (captured_at, lead_id) of its last lead. */
const cursorSchema = z.object({ t: z.string().datetime().refine(isTimestampInstant), id: uuid });
type Cursor = z.infer<typeof cursorSchema>;

const listLeadsRequest = z.object({
  statusId: presenceUuid,
  assigneeId: presenceUuid,
  includeArchived: z.boolean(),
  page: pageRequest(cursorSchema),
  followUpFrom: optionalCalendarDate,
  followUpTo: optionalCalendarDate,
});

const cursorOf = (row: LeadRow): Cursor => ({ t: row.capturedAt.toISOString(), id: row.leadId });

@Injectable()
export class LeadQueries {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The lead with its histories; another tenant's lead is invisible (row-level security) → NOT_FOUND. */
  getLead(ctx: RequestContext, request: crmV1.GetLeadRequest): Promise<crmV1.GetLeadResponse> {
    const { leadId } = validate(idRequestSchema('leadId'), request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const lead = await em.findOne(LeadSchema, { leadId });
      if (!lead) throw DomainError.notFound('lead', leadId);
      const changes = await em.find(LeadStatusChangeSchema, { leadId }, { orderBy: { streamPosition: 'asc' } });
      const assignments = await em.find(LeadAssignmentSchema, { leadId }, { orderBy: { streamPosition: 'asc' } });
      const notes = await em.find(LeadNoteSchema, { leadId, ...visibleNotes(ctx.actorId) }, { orderBy: { streamPosition: 'desc' } });
      const communications = await em.find(CommunicationSchema, { leadId }, { orderBy: { occurredAt: 'desc', streamPosition: 'desc' } });
      return {
        lead: leadToProto(lead),
        statusHistory: changes.map((c) => ({
          fromStatusId: c.fromStatusId ?? '',
          toStatusId: c.toStatusId,
          reason: c.reason,
          changedBy: c.changedBy,
          changedAt: timestamp(c.changedAt),
        })),
        assignmentHistory: assignments.map((a) => ({
          previousAssigneeId: a.previousAssigneeId ?? '',
          assigneeId: a.assigneeId,
          reason: a.reason,
          assignedBy: a.assignedBy,
          assignedAt: timestamp(a.assignedAt),
        })),
        notes: notes.map((n) => ({
          noteId: n.noteId,
          body: n.body,
          private: n.private,
          mentions: [...n.mentions],
          authorId: n.authorId,
          createdAt: timestamp(n.createdAt),
        })),
        communications: communications.map(communicationToProto),
      };
    });
  }

  /** Newest captured first, keyset-paged on (captured_at, lead_id) so pages never skip or repeat a lead. */
  listLeads(ctx: RequestContext, request: crmV1.ListLeadsRequest): Promise<crmV1.ListLeadsResponse> {
    const parsed = validate(listLeadsRequest, request);
    const { size, after: cursor } = parsed.page;
    const where: FilterQuery<LeadRow>[] = [{ tenantId: ctx.tenantId }];
    if (!parsed.includeArchived) where.push({ archived: false });
    if (parsed.statusId !== undefined) where.push({ statusId: parsed.statusId });
    if (parsed.assigneeId !== undefined) where.push({ assigneeId: parsed.assigneeId });
    if (parsed.followUpFrom) where.push({ followUpDate: { $gte: parsed.followUpFrom } });
    if (parsed.followUpTo) where.push({ followUpDate: { $lt: parsed.followUpTo } });
    if (cursor) {
      const t = new Date(cursor.t);
      where.push({ $or: [{ capturedAt: { $lt: t } }, { capturedAt: t, leadId: { $lt: cursor.id } }] });
    }
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(LeadSchema, { $and: where }, { orderBy: { capturedAt: 'desc', leadId: 'desc' }, limit: size + 1 });
      const { items, nextPageToken } = toPage(rows, { size }, cursorOf);
      return { leads: items.map(leadToProto), page: { nextPageToken } };
    });
  }

  /** The audit log: the lead's events as the event store holds them, less other users' private note bodies. */
  async getLeadHistory(ctx: RequestContext, request: crmV1.GetLeadHistoryRequest): Promise<crmV1.GetLeadHistoryResponse> {
    const { leadId } = validate(idRequestSchema('leadId'), request);
    const { version, events } = await this.store.readStream(streamName.lead(leadId));
    if (version === 0 || events[0]?.metadata.tenantId !== ctx.tenantId) throw DomainError.notFound('lead', leadId);
    return {
      history: {
        aggregateType: CrmAggregate.Lead,
        aggregateId: leadId,
        version: int64(version),
        events: events.map((e) => ({
          eventId: e.eventId,
          type: e.type,
          streamPosition: int64(e.streamPosition),
          occurredAt: timestamp(e.metadata.occurredAt),
          actorId: e.metadata.actorId,
          actorKind: e.metadata.actorKind ?? '',
          requestId: e.metadata.requestId,
          dataJson: JSON.stringify(historyData(e, ctx.actorId)),
          schemaVersion: e.schemaVersion,
        })),
      },
    };
  }
}
