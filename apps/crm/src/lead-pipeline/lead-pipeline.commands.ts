import { Inject, Injectable } from '@nestjs/common';
import type { crmV1 } from '@projectflo/contracts';
import {
  leadPipelineDecider,
  listStatuses,
  streamName,
  TextLimits,
  type LeadPipelineCommand,
  type LeadPipelineEvent,
  type LeadPipelineState,
} from '@projectflo/crm/domain';
import { type Clock, CLOCK, deriveId, type HandleResult } from '@projectflo/platform/core';
import {
  type CommandContext,
  expectedVersion,
  list,
  optionalText,
  text,
  toCommandMetadata,
  uuid,
  validate,
} from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { int64 } from '../shared/crm-grpc.mapping';

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

/** The tenant's lead statuses: one pipeline stream per tenant. */
@Injectable()
export class LeadPipelineCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async define(ctx: CommandContext, request: crmV1.DefineLeadStatusRequest): Promise<crmV1.DefineLeadStatusResponse> {
    const { name, description, position } = validate(defineRequest, request);
    const statusId = deriveId('lead-status', ctx.tenantId, ctx.requestId);
    const result = await this.run(ctx, {
      type: 'DefineLeadStatus',
      data: { statusId, name, description, ...(position !== undefined && position !== null ? { position } : {}) },
    });
    return { leadStatus: statusOf(result, statusId) };
  }

  async rename(ctx: CommandContext, request: crmV1.RenameLeadStatusRequest): Promise<crmV1.RenameLeadStatusResponse> {
    const { statusId, name, description, expectedVersion: version } = validate(renameRequest, request);
    const result = await this.run(
      ctx,
      { type: 'RenameLeadStatus', data: { statusId, name, ...(description !== undefined ? { description } : {}) } },
      version,
    );
    return { leadStatus: statusOf(result, statusId) };
  }

  async reorder(ctx: CommandContext, request: crmV1.ReorderLeadStatusesRequest): Promise<crmV1.ReorderLeadStatusesResponse> {
    const { statusIds } = validate(reorderRequest, request);
    const result = await this.run(ctx, { type: 'ReorderLeadStatuses', data: { statusIds } });
    return { leadStatuses: listStatuses(result.state).map((s) => statusToProto(s, result.version)) };
  }

  async retire(ctx: CommandContext, request: crmV1.RetireLeadStatusRequest): Promise<crmV1.RetireLeadStatusResponse> {
    const { statusId, reason, expectedVersion: version } = validate(retireRequest, request);
    const result = await this.run(ctx, { type: 'RetireLeadStatus', data: { statusId, reason } }, version);
    return { leadStatus: statusOf(result, statusId) };
  }

  private run(ctx: CommandContext, command: Omit<LeadPipelineCommand, 'metadata'>, expectedVersion?: number): Promise<PipelineResult> {
    return this.executor.run(
      leadPipelineDecider,
      streamName.leadPipeline(ctx.tenantId),
      { ...command, metadata: toCommandMetadata(ctx, this.clock) } as LeadPipelineCommand,
      { expectedVersion },
    );
  }
}

type PipelineResult = Pick<HandleResult<LeadPipelineState, LeadPipelineEvent>, 'state' | 'version'>;

interface StatusView {
  readonly statusId: string;
  readonly name: string;
  readonly description: string;
  readonly retired: boolean;
  readonly order: number | null;
}

function statusToProto(status: StatusView, version: number): crmV1.LeadStatus {
  return {
    statusId: status.statusId,
    name: status.name,
    description: status.description,
    position: status.order ?? -1,
    retired: status.retired,
    version: int64(version),
  };
}

function statusOf(result: PipelineResult, statusId: string): crmV1.LeadStatus {
  const status = listStatuses(result.state).find((s) => s.statusId === statusId);
  if (!status) throw new Error(`lead status ${statusId} missing after the command`);
  return statusToProto(status, result.version);
}
