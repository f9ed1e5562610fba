import { Injectable } from '@nestjs/common';
import type { crmV1 } from '@projectflo/contracts';
import {
  contactDecider,
  contactLookup,
  crmEventSchemaVersions,
  firstActiveStatusId,
  leadDecider,
  leadPipelineDecider,
  organizationDecider,
  statusLookup,
  streamName,
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
  expectedVersionOf,
  fromTimestamp,
  InjectClock,
  toCommandMetadata,
  validate,
} from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import {
  enumToDomain,
  optionalDateField,
  optionalPresenceUuid,
  optionalUuidField,
  timestamp,
  uuidField,
  withProtoFieldNames,
} from '../shared/crm-grpc.mapping';
import { communicationDirections, communicationStatus, communicationToProto, communicationTypes, leadTemperatures, leadToProto } from './lead.mapping';
import { foldLeadRow } from './lead.view';

const options = { aggregate: 'lead', schemaVersions: crmEventSchemaVersions } as const;

const captureRequest = z.object({
  contactId: uuidField,
  statusId: optionalPresenceUuid,
  assigneeId: optionalPresenceUuid,
  campaignId: optionalUuidField,
  eventDate: optionalDateField,
  followUpDate: optionalDateField,
  expectedCloseDate: optionalDateField,
});
const changeStatusRequest = z.object({ leadId: uuidField, toStatusId: uuidField });
const assignRequest = z.object({ leadId: uuidField, assigneeId: uuidField });
const byLead = z.object({ leadId: uuidField });

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
    const temperature = enumToDomain(leadTemperatures, request.temperature);
    await this.execute(leadId, {
      type: 'CaptureLead',
      data: {
        leadId,
        contact: contactLookup(contact.state, parsed.contactId),
        status: statusLookup(pipeline.state, statusId),
        eventDate: request.eventDate,
        venue: request.venue,
        source: request.source,
        sourceDetails: request.sourceDetails,
        campaignId: request.campaignId,
        followUpDate: request.followUpDate,
        expectedCloseDate: request.expectedCloseDate,
        notes: request.notes,
        ...(temperature !== undefined ? { temperature } : {}),
        ...(assignee !== undefined ? { assignee } : {}),
      },
      metadata,
    });
    return { lead: await this.current(leadId) };
  }

  async changeStatus(ctx: CommandContext, request: crmV1.ChangeLeadStatusRequest): Promise<crmV1.ChangeLeadStatusResponse> {
    const { leadId, toStatusId } = validate(changeStatusRequest, request);
    const expectedVersion = expectedVersionOf(request.expectedVersion);
    const pipeline = await this.executor.load(leadPipelineDecider, streamName.leadPipeline(ctx.tenantId), ctx.tenantId);
    await this.execute(
      leadId,
      {
        type: 'ChangeLeadStatus',
        data: { leadId, target: statusLookup(pipeline.state, toStatusId), reason: request.reason },
        metadata: toCommandMetadata(ctx, this.clock),
      },
      expectedVersion,
    );
    return { lead: await this.current(leadId) };
  }

  async assign(ctx: CommandContext, request: crmV1.AssignLeadRequest): Promise<crmV1.AssignLeadResponse> {
    const { leadId, assigneeId } = validate(assignRequest, request);
    const organization = await this.executor.load(organizationDecider, streamName.organization(ctx.tenantId), ctx.tenantId);
    await this.execute(
      leadId,
      {
        type: 'AssignLead',
        data: { leadId, assignee: userLookup(organization.state, assigneeId), reason: request.reason },
        metadata: toCommandMetadata(ctx, this.clock),
      },
      expectedVersionOf(request.expectedVersion),
    );
    return { lead: await this.current(leadId) };
  }

  async addNote(ctx: CommandContext, request: crmV1.AddLeadNoteRequest): Promise<crmV1.AddLeadNoteResponse> {
    const { leadId } = validate(byLead, request);
    const noteId = deriveId('lead-note', ctx.tenantId, ctx.requestId);
    const result = await this.execute(leadId, {
      type: 'AddLeadNote',
      data: { leadId, noteId, body: request.body, private: request.private === true, mentions: request.mentions ?? [] },
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
    const { leadId } = validate(byLead, request);
    const communicationId = deriveId('communication', ctx.tenantId, ctx.requestId);
    const occurredAt = fromTimestamp(request.occurredAt, 'occurred_at');
    const status = communicationStatus(request.status);
    const result = await this.execute(leadId, {
      type: 'LogCommunication',
      data: {
        leadId,
        communicationId,
        // Unspecified enums reach the decider as '' so that it names the field.
        type: enumToDomain(communicationTypes, request.type) ?? ('' as never),
        direction: enumToDomain(communicationDirections, request.direction) ?? ('' as never),
        subject: request.subject,
        content: request.content,
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
    const { leadId } = validate(byLead, request);
    await this.execute(
      leadId,
      { type: 'ArchiveLead', data: { leadId, reason: request.reason }, metadata: toCommandMetadata(ctx, this.clock) },
      expectedVersionOf(request.expectedVersion),
    );
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

