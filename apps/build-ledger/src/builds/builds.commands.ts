import { Injectable } from '@nestjs/common';
import type { ledgerBuildsV1 } from '@projectflo/contracts';
import { BUILD_LIMITS, buildDecider, type BuildCommand, BuildStreams, catalogDecider, type CatalogState, type ChangeRequest } from '@projectflo/build-ledger/domain';
import { deriveId, DomainError } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, optionalCalendarDate, text, uuid, validate } from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { id, moneyInput } from '../catalog/catalog.mapping';
import { buildStatus, buildToProto, changeOrderToProto, changesRequest, discountKind, withProtoChangeFields } from './builds.mapping';
import { changeOrderReply, evolveBuildRow } from './builds.view';

const name = text(BUILD_LIMITS.name, { required: true });
const createRequest = z.object({ leadId: id, name, currency: text(3), eventDate: optionalCalendarDate, quoteExpiresOn: optionalCalendarDate });
const detailsRequest = z.object({ buildId: uuid, name, eventDate: optionalCalendarDate, quoteExpiresOn: optionalCalendarDate, expectedVersion });
const linkRequest = z.object({ buildId: uuid, clientId: id, projectId: id, expectedVersion });
const configureRequest = z.object({ buildId: uuid, changes: changesRequest, expectedVersion });
const statusRequest = z.object({ buildId: uuid, toStatus: buildStatus.required, expectedVersion });
const byBuild = z.object({ buildId: uuid, expectedVersion });
const discount = z
  .object({ kind: discountKind.required, percent: text(20), amount: moneyInput, reason: text(BUILD_LIMITS.reason) })
  .nullish()
  .transform((d) => (d ? { kind: d.kind, percent: d.percent || null, amount: d.amount ? { currency: d.amount.currency, amount: d.amount.amount } : null, reason: d.reason } : null));
const proposeRequest = z.object({
  buildId: uuid,
  baseVersion: z.number().int(),
  description: text(BUILD_LIMITS.description, { required: true }),
  changes: changesRequest,
  discount,
});
const approveRequest = z.object({ buildId: uuid, changeOrderId: uuid });
const rejectRequest = z.object({ buildId: uuid, changeOrderId: uuid, reason: text(BUILD_LIMITS.reason) });

/**
 * Commands on builds (one stream per build). Changes are priced from the tenant's catalog, read
 * from its stream (not a read model) right before the decision. Each replies with the build as the
 * read model folds it (evolveBuildRow); change-order commands with the order too.
 */
@Injectable()
export class BuildCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async create(ctx: CommandContext, request: ledgerBuildsV1.CreateBuildRequest): Promise<ledgerBuildsV1.CreateBuildResponse> {
    const r = validate(createRequest, request);
    // Derived from the request id: a retried create finds its own build.
    const buildId = deriveId('build', ctx.tenantId, ctx.requestId);
    return this.run(ctx, buildId, {
      type: 'CreateBuild',
      data: { buildId, leadId: r.leadId || null, name: r.name, currency: r.currency, eventDate: r.eventDate || null, quoteExpiresOn: r.quoteExpiresOn || null },
    });
  }

  async updateDetails(ctx: CommandContext, request: ledgerBuildsV1.UpdateBuildDetailsRequest): Promise<ledgerBuildsV1.UpdateBuildDetailsResponse> {
    const r = validate(detailsRequest, request);
    return this.run(ctx, r.buildId, { type: 'UpdateBuildDetails', data: { buildId: r.buildId, name: r.name, eventDate: r.eventDate || null, quoteExpiresOn: r.quoteExpiresOn || null } }, r.expectedVersion);
  }

  async link(ctx: CommandContext, request: ledgerBuildsV1.LinkBuildRequest): Promise<ledgerBuildsV1.LinkBuildResponse> {
    const r = validate(linkRequest, request);
    return this.run(ctx, r.buildId, { type: 'LinkBuild', data: { buildId: r.buildId, clientId: r.clientId || null, projectId: r.projectId || null } }, r.expectedVersion);
  }

  async configure(ctx: CommandContext, request: ledgerBuildsV1.ConfigureBuildRequest): Promise<ledgerBuildsV1.ConfigureBuildResponse> {
    const r = validate(configureRequest, request);
    const catalog = await this.catalog(ctx);
    return withProtoChangeFields(r.changes, () => this.run(ctx, r.buildId, { type: 'ConfigureBuild', data: { buildId: r.buildId, changes: r.changes, catalog } }, r.expectedVersion));
  }

  async changeStatus(ctx: CommandContext, request: ledgerBuildsV1.ChangeBuildStatusRequest): Promise<ledgerBuildsV1.ChangeBuildStatusResponse> {
    const r = validate(statusRequest, request);
    if (r.toStatus !== 'proposal_sent' && r.toStatus !== 'completed' && r.toStatus !== 'archived') {
      throw DomainError.invalid({ field: 'to_status', description: 'must be PROPOSAL_SENT, COMPLETED or ARCHIVED (approve and book with their own calls)' });
    }
    return this.run(ctx, r.buildId, { type: 'ChangeBuildStatus', data: { buildId: r.buildId, toStatus: r.toStatus } }, r.expectedVersion);
  }

  async approve(ctx: CommandContext, request: ledgerBuildsV1.ApproveBuildRequest): Promise<ledgerBuildsV1.ApproveBuildResponse> {
    const r = validate(byBuild, request);
    return this.run(ctx, r.buildId, { type: 'ApproveBuild', data: { buildId: r.buildId } }, r.expectedVersion);
  }

  async book(ctx: CommandContext, request: ledgerBuildsV1.BookBuildRequest): Promise<ledgerBuildsV1.BookBuildResponse> {
    const r = validate(byBuild, request);
    return this.run(ctx, r.buildId, { type: 'BookBuild', data: { buildId: r.buildId } }, r.expectedVersion);
  }

  async proposeChangeOrder(ctx: CommandContext, request: ledgerBuildsV1.ProposeChangeOrderRequest): Promise<ledgerBuildsV1.ProposeChangeOrderResponse> {
    const r = validate(proposeRequest, request);
    const catalog = await this.catalog(ctx);
    const changeOrderId = deriveId('change-order', ctx.tenantId, ctx.requestId);
    const changes: readonly ChangeRequest[] = r.changes;
    return withProtoChangeFields(changes, () =>
      this.runChangeOrder(ctx, r.buildId, changeOrderId, {
        type: 'ProposeChangeOrder',
        data: { buildId: r.buildId, changeOrderId, baseVersion: r.baseVersion, description: r.description, changes, discount: r.discount, catalog },
      }),
    );
  }

  async approveChangeOrder(ctx: CommandContext, request: ledgerBuildsV1.ApproveChangeOrderRequest): Promise<ledgerBuildsV1.ApproveChangeOrderResponse> {
    const r = validate(approveRequest, request);
    return this.runChangeOrder(ctx, r.buildId, r.changeOrderId, { type: 'ApproveChangeOrder', data: { buildId: r.buildId, changeOrderId: r.changeOrderId } });
  }

  async rejectChangeOrder(ctx: CommandContext, request: ledgerBuildsV1.RejectChangeOrderRequest): Promise<ledgerBuildsV1.RejectChangeOrderResponse> {
    const r = validate(rejectRequest, request);
    return this.runChangeOrder(ctx, r.buildId, r.changeOrderId, { type: 'RejectChangeOrder', data: { buildId: r.buildId, changeOrderId: r.changeOrderId, reason: r.reason || null } });
  }

  /** The tenant's catalog, folded from its stream. */
  private async catalog(ctx: CommandContext): Promise<CatalogState> {
    return (await this.executor.load(catalogDecider, BuildStreams.catalog(ctx.tenantId), ctx.tenantId)).state;
  }

  private async run(ctx: CommandContext, buildId: string, command: CommandIntent<BuildCommand>, version?: number): Promise<{ build?: ledgerBuildsV1.Build }> {
    const result = await this.executor.run(buildDecider, BuildStreams.build(buildId), command, { context: ctx, expectedVersion: version, view: evolveBuildRow });
    return result.view ? { build: buildToProto(result.view) } : {};
  }

  private async runChangeOrder(ctx: CommandContext, buildId: string, changeOrderId: string, command: CommandIntent<BuildCommand>) {
    const result = await this.executor.run(buildDecider, BuildStreams.build(buildId), command, { context: ctx, view: changeOrderReply(changeOrderId) });
    const { build, changeOrder } = result.view ?? {};
    return {
      ...(changeOrder && build ? { changeOrder: changeOrderToProto(changeOrder, build.state.configuration) } : {}),
      ...(build ? { build: buildToProto(build) } : {}),
    };
  }
}
