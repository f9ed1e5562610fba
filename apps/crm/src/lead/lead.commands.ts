import { Injectable } from '@nestjs/common';
import { crmV1 } from '@projectflo/contracts';
import {
  CommunicationStatuses,
  type CommunicationStatus,
  contactDecider,
  contactLookup,
  crmEventSchemaVersions,
  firstActiveStatusId,
  leadDecider,
  leadPipelineDecider,
  organizationDecider,
  statusLookup,
  streamName,
  TextLimits,
  userLookup,
  type LeadCommand,
  type LeadEvent,
  type LeadState,
  type UserLookup,
} from '@projectflo/crm/domain';
import {
  type Clock,
  deriveId,
  DomainError,
  type DomainEvent,
  type HandleResult,
} from '@projectflo/platform/core';
import {
  type CommandContext,
  expectedVersion,
  InjectClock,
  list,
  optionalCalendarDate,
  optionalTimestamp,
  optionalUuid,
  presenceUuid,
  protoEnum,
  text,
  toCommandMetadata,
  uuid,
  validate,
} from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { enumToDomain, timestamp, withProtoFieldNames } from '../shared/crm-grpc.mapping';
import { communicationDirections, communicationStatus, communicationToProto, communicationTypes, leadTemperatures, leadToProto } from './lead.mapping';
import { foldLeadRow } from './lead.view';

const options = { aggregate: 'lead', schemaVersions: crmEventSchemaVersions } as const;

/** Longest communication status text ("Scheduled", "Completed", "Failed", "Cancelled", any case). */
const MAX_COMMUNICATION_STATUS = 20;

const captureRequest = z.object({
  contactId: uuid,
  statusId: presenceUuid,
  eventDate: optionalCalendarDate,
  venue: text(TextLimits.venue),
  source: text(TextLimits.source, { required: true }),
  sourceDetails: text(TextLimits.sourceDetails),
  campaignId: optionalUuid,
  notes: text(TextLimits.noteBody),
  assigneeId: presenceUuid,
  followUpDate: optionalCalendarDate,
  temperature: protoEnum(crmV1.LeadTemperature),
  expectedCloseDate: optionalCalendarDate,
});
const changeStatusRequest = z.object({ leadId: uuid, toStatusId: uuid, reason: text(TextLimits.reason), expectedVersion });
const assignRequest = z.object({ leadId: uuid, assigneeId: uuid, reason: text(TextLimits.reason), expectedVersion });
const addNoteRequest = z.object({
  leadId: uuid,
  body: text(TextLimits.noteBody, { required: true }),
  private: z.boolean(),
  mentions: list(uuid, TextLimits.mentions),
});
const logCommunicationRequest = z.object({
  leadId: uuid,
  type: protoEnum(crmV1.CommunicationType, { required: true }),
  direction: protoEnum(crmV1.CommunicationDirection, { required: true }),
  subject: text(TextLimits.subject),
  content: text(TextLimits.communicationContent),
  status: text(MAX_COMMUNICATION_STATUS).refine(
    (v) => v.trim() === '' || CommunicationStatuses.includes(communicationStatus(v) as CommunicationStatus),
    `must be one of ${CommunicationStatuses.join(', ')} (any case), or empty`,
  ),
  occurredAt: optionalTimestamp,
});
const archiveRequest = z.object({ leadId: uuid, reason: text(TextLimits.reason), expectedVersion });

/**
 * Lead commands. Facts a lead decision needs from other aggregates (the contact, the pipeline's
 * statuses, the organization's users) are read from their streams here and passed in the
 * command; the lead decider itself reads nothing.
 */
@Injectable()
export class LeadCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async capture(ctx: CommandContext, request: crmV1.CaptureLeadRequest): Promise<crmV1.CaptureLeadResponse> {
    const parsed = validate(captureRequest, request);
    const metadata = toCommandMetadata(ctx, this.clock);
    // Derived from the request id: a retried capture finds its own lead instead of making another.
    const leadId = deriveId('lead', ctx.tenantId, ctx.requestId);
    const pipeline = await this.executor.load(leadPipelineDecider, streamName.leadPipeline(ctx.tenantId), ctx.tenantId);
    const statusId = parsed.statusId ?? firstActiveStatusId(pipeline.state);
    if (statusId === null) {
      throw DomainError.precondition('the lead pipeline has no active status: define one before capturing leads');
    }
    const contact = await this.executor.load(contactDecider, streamName.contact(parsed.contactId), ctx.tenantId);
    // Captured and assigned in one append: a bad assignee fails the whole capture.
    const assignee = parsed.assigneeId === undefined ? undefined : await this.activeUser(ctx.tenantId, parsed.assigneeId);
    const temperature = enumToDomain(leadTemperatures, parsed.temperature);
    await this.execute(leadId, {
      type: 'CaptureLead',
      data: {
        leadId,
        contact: contactLookup(contact.state, parsed.contactId),
        status: statusLookup(pipeline.state, statusId),
        eventDate: parsed.eventDate,
        venue: parsed.venue,
        source: parsed.source,
        sourceDetails: parsed.sourceDetails,
        campaignId: parsed.campaignId ?? '',
        followUpDate: parsed.followUpDate,
        expectedCloseDate: parsed.expectedCloseDate,
        notes: parsed.notes,
        ...(temperature !== undefined ? { temperature } : {}),
        ...(assignee !== undefined ? { assignee } : {}),
      },
      metadata,
    });
    return { lead: await this.current(leadId) };
  }

  async changeStatus(ctx: CommandContext, request: crmV1.ChangeLeadStatusRequest): Promise<crmV1.ChangeLeadStatusResponse> {
    const { leadId, toStatusId, reason, expectedVersion: version } = validate(changeStatusRequest, request);
    const pipeline = await this.executor.load(leadPipelineDecider, streamName.leadPipeline(ctx.tenantId), ctx.tenantId);
    await this.execute(
      leadId,
      {
        type: 'ChangeLeadStatus',
        data: { leadId, target: statusLookup(pipeline.state, toStatusId), reason },
        metadata: toCommandMetadata(ctx, this.clock),
      },
      version,
    );
    return { lead: await this.current(leadId) };
  }

  async assign(ctx: CommandContext, request: crmV1.AssignLeadRequest): Promise<crmV1.AssignLeadResponse> {
    const { leadId, assigneeId, reason, expectedVersion: version } = validate(assignRequest, request);
    const organization = await this.executor.load(organizationDecider, streamName.organization(ctx.tenantId), ctx.tenantId);
    await this.execute(
      leadId,
      {
        type: 'AssignLead',
        data: { leadId, assignee: userLookup(organization.state, assigneeId), reason },
        metadata: toCommandMetadata(ctx, this.clock),
      },
      version,
    );
    return { lead: await this.current(leadId) };
  }

  async addNote(ctx: CommandContext, request: crmV1.AddLeadNoteRequest): Promise<crmV1.AddLeadNoteResponse> {
    const { leadId, body, private: isPrivate, mentions } = validate(addNoteRequest, request);
    const noteId = deriveId('lead-note', ctx.tenantId, ctx.requestId);
    const result = await this.execute(leadId, {
      type: 'AddLeadNote',
      data: { leadId, noteId, body, private: isPrivate, mentions },
      metadata: toCommandMetadata(ctx, this.clock),
    });
    const added = eventOf(result, 'LeadNoteAdded');
    return {
      note: {
        noteId: added.data.noteId,
        body: added.data.body,
        private: added.data.private,
        mentions: [...added.data.mentions],
        authorId: added.data.addedBy,
        createdAt: timestamp(added.data.addedAt),
      },
      leadVersion: String(result.version),
    };
  }

  async logCommunication(ctx: CommandContext, request: crmV1.LogCommunicationRequest): Promise<crmV1.LogCommunicationResponse> {
    const valid = validate(logCommunicationRequest, request);
    const communicationId = deriveId('communication', ctx.tenantId, ctx.requestId);
    const occurredAt = valid.occurredAt;
    const status = communicationStatus(valid.status);
    const result = await this.execute(valid.leadId, {
      type: 'LogCommunication',
      data: {
        leadId: valid.leadId,
        communicationId,
        type: communicationTypes[valid.type] ?? ('' as never),
        direction: communicationDirections[valid.direction] ?? ('' as never),
        subject: valid.subject,
        content: valid.content,
        ...(status !== undefined ? { status } : {}),
        occurredAt: occurredAt?.toISOString() ?? null,
      },
      metadata: toCommandMetadata(ctx, this.clock),
    });
    const logged = eventOf(result, 'CommunicationLogged');
    return {
      communication: communicationToProto({ ...logged.data, occurredAt: new Date(logged.data.occurredAt) }),
      leadVersion: String(result.version),
    };
  }

  async archive(ctx: CommandContext, request: crmV1.ArchiveLeadRequest): Promise<crmV1.ArchiveLeadResponse> {
    const { leadId, reason, expectedVersion: version } = validate(archiveRequest, request);
    await this.execute(leadId, { type: 'ArchiveLead', data: { leadId, reason }, metadata: toCommandMetadata(ctx, this.clock) }, version);
    return { lead: await this.current(leadId) };
  }

  private async activeUser(tenantId: string, userId: string): Promise<UserLookup> {
    const organization = await this.executor.load(organizationDecider, streamName.organization(tenantId), tenantId);
    const user = userLookup(organization.state, userId);
    if (!user.exists) throw DomainError.notFound('user', userId);
    if (!user.active) throw DomainError.precondition(`user ${userId} is deactivated`, { userId });
    return user;
  }

  private execute(leadId: string, command: LeadCommand, expectedVersion?: number): Promise<HandleResult<LeadState, LeadEvent>> {
    // The decider names the target status `status_id`; ChangeLeadStatusRequest calls it to_status_id.
    const renames: Record<string, string> = command.type === 'ChangeLeadStatus' ? { status_id: 'to_status_id' } : {};
    return withProtoFieldNames(renames, () =>
      this.executor.execute(leadDecider, streamName.lead(leadId), command, {
        ...options,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      }),
    );
  }

  private async current(leadId: string): Promise<crmV1.Lead> {
    const row = foldLeadRow((await this.executor.store.readStream(streamName.lead(leadId))).events);
    if (!row) throw DomainError.notFound('lead', leadId);
    return leadToProto(row);
  }
}

function eventOf<T extends LeadEvent['type']>(
  result: HandleResult<LeadState, LeadEvent>,
  type: T,
): Extract<LeadEvent, { type: T }> {
  const found = result.events.map((e): DomainEvent => ({ type: e.type, data: e.data })).find((e) => e.type === type);
  if (!found) throw new Error(`the command produced no ${type}`);
  return found as Extract<LeadEvent, { type: T }>;
}

