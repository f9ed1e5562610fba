import { Injectable } from '@nestjs/common';
import { crmV1 } from '@projectflo/contracts';
import {
  CommunicationStatuses,
  type CommunicationStatus,
  contactDecider,
  contactLookup,
  firstActiveStatusId,
  leadDecider,
  leadPipelineDecider,
  organizationDecider,
  statusLookup,
  streamName,
  TextLimits,
  userLookup,
  type LeadCommand,
  type UserLookup,
} from '@projectflo/crm/domain';
import { deriveId, DomainError, eventOf } from '@projectflo/platform/core';
import {
  type CommandContext,
  expectedVersion,
  list,
  optionalCalendarDate,
  optionalTimestamp,
  optionalUuid,
  presenceUuid,
  text,
  uuid,
  validate,
} from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { timestamp } from '../shared/crm-grpc.mapping';
import { communicationDirection, communicationStatus, communicationToProto, communicationType, leadTemperature, leadToProto } from './lead.mapping';
import { evolveLeadRow } from './lead.view';

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
  temperature: leadTemperature.optional,
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
  type: communicationType.required,
  direction: communicationDirection.required,
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
  constructor(private readonly executor: CommandExecutor) {}

  async capture(ctx: CommandContext, request: crmV1.CaptureLeadRequest): Promise<crmV1.CaptureLeadResponse> {
    const { contactId, statusId: requestedStatusId, assigneeId, temperature, campaignId, ...details } = validate(captureRequest, request);
    // Derived from the request id: a retried capture finds its own lead instead of making another.
    const leadId = deriveId('lead', ctx.tenantId, ctx.requestId);
    const pipeline = await this.executor.load(leadPipelineDecider, streamName.leadPipeline(ctx.tenantId), ctx.tenantId);
    const statusId = requestedStatusId ?? firstActiveStatusId(pipeline.state);
    if (statusId === null) {
      throw DomainError.precondition('the lead pipeline has no active status: define one before capturing leads');
    }
    const contact = await this.executor.load(contactDecider, streamName.contact(contactId), ctx.tenantId);
    // Captured and assigned in one append: a bad assignee fails the whole capture.
    const assignee = assigneeId === undefined ? undefined : await this.activeUser(ctx.tenantId, assigneeId);
    return {
      lead: await this.run(ctx, leadId, {
        type: 'CaptureLead',
        data: {
          leadId,
          contact: contactLookup(contact.state, contactId),
          status: statusLookup(pipeline.state, statusId),
          ...details,
          campaignId: campaignId ?? null,
          ...(temperature !== undefined ? { temperature } : {}),
          ...(assignee !== undefined ? { assignee } : {}),
        },
      }),
    };
  }

  async changeStatus(ctx: CommandContext, request: crmV1.ChangeLeadStatusRequest): Promise<crmV1.ChangeLeadStatusResponse> {
    const { leadId, toStatusId, reason, expectedVersion: version } = validate(changeStatusRequest, request);
    const pipeline = await this.executor.load(leadPipelineDecider, streamName.leadPipeline(ctx.tenantId), ctx.tenantId);
    const command = { type: 'ChangeLeadStatus', data: { leadId, target: statusLookup(pipeline.state, toStatusId), reason } } as const;
    return { lead: await this.run(ctx, leadId, command, version) };
  }

  async assign(ctx: CommandContext, request: crmV1.AssignLeadRequest): Promise<crmV1.AssignLeadResponse> {
    const { leadId, assigneeId, reason, expectedVersion: version } = validate(assignRequest, request);
    const organization = await this.executor.load(organizationDecider, streamName.organization(ctx.tenantId), ctx.tenantId);
    const command = { type: 'AssignLead', data: { leadId, assignee: userLookup(organization.state, assigneeId), reason } } as const;
    return { lead: await this.run(ctx, leadId, command, version) };
  }

  async addNote(ctx: CommandContext, request: crmV1.AddLeadNoteRequest): Promise<crmV1.AddLeadNoteResponse> {
    const data = validate(addNoteRequest, request);
    const noteId = deriveId('lead-note', ctx.tenantId, ctx.requestId);
    const result = await this.executor.run(leadDecider, streamName.lead(data.leadId), { type: 'AddLeadNote', data: { ...data, noteId } }, { context: ctx });
    const added = eventOf(result.events, 'LeadNoteAdded').data;
    return {
      note: {
        noteId: added.noteId,
        body: added.body,
        private: added.private,
        mentions: [...added.mentions],
        authorId: added.addedBy,
        createdAt: timestamp(added.addedAt),
      },
      leadVersion: String(result.version),
    };
  }

  async logCommunication(ctx: CommandContext, request: crmV1.LogCommunicationRequest): Promise<crmV1.LogCommunicationResponse> {
    const { status: statusText, occurredAt, ...data } = validate(logCommunicationRequest, request);
    const communicationId = deriveId('communication', ctx.tenantId, ctx.requestId);
    const status = communicationStatus(statusText);
    const result = await this.executor.run(
      leadDecider,
      streamName.lead(data.leadId),
      {
        type: 'LogCommunication',
        data: { ...data, communicationId, ...(status !== undefined ? { status } : {}), occurredAt: occurredAt?.toISOString() ?? null },
      },
      { context: ctx },
    );
    const logged = eventOf(result.events, 'CommunicationLogged').data;
    return {
      communication: communicationToProto({ ...logged, occurredAt: new Date(logged.occurredAt) }),
      leadVersion: String(result.version),
    };
  }

  async archive(ctx: CommandContext, request: crmV1.ArchiveLeadRequest): Promise<crmV1.ArchiveLeadResponse> {
    const { leadId, reason, expectedVersion: version } = validate(archiveRequest, request);
    return { lead: await this.run(ctx, leadId, { type: 'ArchiveLead', data: { leadId, reason } }, version) };
  }

  private async activeUser(tenantId: string, userId: string): Promise<UserLookup> {
    const organization = await this.executor.load(organizationDecider, streamName.organization(tenantId), tenantId);
    const user = userLookup(organization.state, userId);
    if (!user.exists) throw DomainError.notFound('user', userId);
    if (!user.active) throw DomainError.precondition(`user ${userId} is deactivated`, { userId });
    return user;
  }

  /** Runs a lead command and answers with the lead as the read model shows it (the same fold). */
  private async run(ctx: CommandContext, leadId: string, command: CommandIntent<LeadCommand>, expectedVersion?: number): Promise<crmV1.Lead> {
    const { view } = await this.executor.run(leadDecider, streamName.lead(leadId), command, { context: ctx, expectedVersion, view: evolveLeadRow });
    if (!view) throw DomainError.notFound('lead', leadId);
    return leadToProto(view);
  }
}
