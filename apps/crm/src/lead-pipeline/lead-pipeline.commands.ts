import { Injectable } from '@nestjs/common';
import type { crmV1 } from '@projectflo/contracts';
import { leadPipelineDecider, streamName, TextLimits, type LeadPipelineCommand } from '@projectflo/crm/domain';
import { deriveId } from '@projectflo/platform/core';
import {
  type CommandContext,
  expectedVersion,
  list,
  optionalText,
  text,
  uuid,
  validate,
} from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { leadStatusToProto } from './lead-pipeline.mapping';
import { evolveLeadPipelineView, type LeadPipelineView } from './lead-pipeline.view';

/** More statuses than any pipeline needs; the bound of status_ids and of position. */
const MAX_LEAD_STATUSES = 500;

const defineRequest = z.object({
  name: text(TextLimits.name, { required: true }),
  description: text(TextLimits.description),
  position: z.number().int().min(0, 'must not be negative').max(MAX_LEAD_STATUSES).nullish(),
});
const renameRequest = z.object({
  statusId: uuid,
  name: text(TextLimits.name, { required: true }),
  description: optionalText(TextLimits.description),
  expectedVersion,
});
const reorderRequest = z.object({ statusIds: list(uuid, MAX_LEAD_STATUSES) });
const retireRequest = z.object({ statusId: uuid, reason: text(TextLimits.reason), expectedVersion });

/** The tenant's lead statuses: one pipeline stream per tenant; replies are the read model's fold of it. */
@Injectable()
export class LeadPipelineCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async define(ctx: CommandContext, request: crmV1.DefineLeadStatusRequest): Promise<crmV1.DefineLeadStatusResponse> {
    const { name, description, position } = validate(defineRequest, request);
    const statusId = deriveId('lead-status', ctx.tenantId, ctx.requestId);
    const pipeline = await this.run(ctx, {
      type: 'DefineLeadStatus',
      data: { statusId, name, description, ...(position !== undefined && position !== null ? { position } : {}) },
    });
    return { leadStatus: statusOf(pipeline, statusId) };
  }

  async rename(ctx: CommandContext, request: crmV1.RenameLeadStatusRequest): Promise<crmV1.RenameLeadStatusResponse> {
    const { statusId, name, description, expectedVersion: version } = validate(renameRequest, request);
    const pipeline = await this.run(
      ctx,
      { type: 'RenameLeadStatus', data: { statusId, name, ...(description !== undefined ? { description } : {}) } },
      version,
    );
    return { leadStatus: statusOf(pipeline, statusId) };
  }

  async reorder(ctx: CommandContext, request: crmV1.ReorderLeadStatusesRequest): Promise<crmV1.ReorderLeadStatusesResponse> {
    const { statusIds } = validate(reorderRequest, request);
    const pipeline = await this.run(ctx, { type: 'ReorderLeadStatuses', data: { statusIds } });
    return { leadStatuses: pipeline.map(leadStatusToProto) };
  }

  async retire(ctx: CommandContext, request: crmV1.RetireLeadStatusRequest): Promise<crmV1.RetireLeadStatusResponse> {
    const { statusId, reason, expectedVersion: version } = validate(retireRequest, request);
    const pipeline = await this.run(ctx, { type: 'RetireLeadStatus', data: { statusId, reason } }, version);
    return { leadStatus: statusOf(pipeline, statusId) };
  }

  /** The pipeline after the command, as the read model folds it. */
  private async run(ctx: CommandContext, command: CommandIntent<LeadPipelineCommand>, expectedVersion?: number): Promise<LeadPipelineView> {
    const { view } = await this.executor.run(leadPipelineDecider, streamName.leadPipeline(ctx.tenantId), command, {
      context: ctx,
      expectedVersion,
      view: evolveLeadPipelineView,
    });
    return view ?? [];
  }
}

function statusOf(pipeline: LeadPipelineView, statusId: string): crmV1.LeadStatus {
  const status = pipeline.find((s) => s.statusId === statusId);
  if (!status) throw new Error(`lead status ${statusId} missing after the command`);
  return leadStatusToProto(status);
}
