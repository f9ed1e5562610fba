import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import type { ledgerBuildsV1 } from '@projectflo/contracts';
import { BuildStreams, priceBuild } from '@projectflo/build-ledger/domain';
import { DomainError, type EventStore, type RecordedEvent } from '@projectflo/platform/core';
import { instantPage, pageRequest, type RequestContext, text, toPage, toTimestamp, uuid, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { EVENT_STORE, MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { id } from '../catalog/catalog.mapping';
import { BuildSchema, BuildSnapshotSchema, ChangeOrderSchema, type BuildRow, type ChangeOrderRow } from './builds.entities';
import { breakdownToProto, buildStatus, buildToProto, changeOrderToProto, snapshotToProto } from './builds.mapping';

const byBuild = z.object({ buildId: uuid });
const listRequest = z.object({ status: buildStatus.optional, leadId: id, page: instantPage });
const changeOrdersRequest = z.object({ buildId: uuid, page: pageRequest(z.object({ version: z.number().int().min(0), id: text(128) })) });
const snapshotRequest = z.object({ buildId: uuid, version: z.number().int().min(1, 'must be at least 1') });

/** Builds from the read model (builds, build_change_orders, build_snapshots) inside the caller's tenant; the history from the stream. */
@Injectable()
export class BuildQueries {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async get(ctx: RequestContext, request: ledgerBuildsV1.GetBuildRequest): Promise<ledgerBuildsV1.GetBuildResponse> {
    const { buildId } = validate(byBuild, request);
    return { build: buildToProto(await this.row(ctx, buildId)) };
  }

  /** Newest first. */
  async list(ctx: RequestContext, request: ledgerBuildsV1.ListBuildsRequest): Promise<ledgerBuildsV1.ListBuildsResponse> {
    const { status, leadId, page } = validate(listRequest, request);
    const after = page.after;
    const where: FilterQuery<BuildRow> = {
      ...(status ? { status } : {}),
      ...(leadId ? { leadId } : {}),
      ...(after ? { $or: [{ createdAt: { $lt: after.at } }, { createdAt: after.at, buildId: { $lt: after.id } }] } : {}),
    };
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(BuildSchema, where, { orderBy: { createdAt: 'desc', buildId: 'desc' }, limit: page.size + 1 });
      const { items, nextPageToken } = toPage(rows, page, (row) => ({ at: row.createdAt, id: row.buildId }));
      return { builds: items.map(buildToProto), page: { nextPageToken } };
    });
  }

  /** The build's stream as its audit history; another tenant's build is NOT_FOUND like a missing one. */
  async history(ctx: RequestContext, request: ledgerBuildsV1.GetBuildHistoryRequest): Promise<ledgerBuildsV1.GetBuildHistoryResponse> {
    const { buildId } = validate(byBuild, request);
    const { version, events } = await this.store.readStream(BuildStreams.build(buildId));
    if (events.length === 0 || events[0]!.metadata.tenantId !== ctx.tenantId) throw DomainError.notFound('build', buildId);
    return {
      history: { aggregateType: 'build', aggregateId: buildId, version: String(version), events: events.map(eventRecord) },
    };
  }

  /** Every line of the live price with how it came about, the discounts, the total and the approved total. */
  async breakdown(ctx: RequestContext, request: ledgerBuildsV1.GetBuildPriceBreakdownRequest): Promise<ledgerBuildsV1.GetBuildPriceBreakdownResponse> {
    const { buildId } = validate(byBuild, request);
    const { state } = await this.row(ctx, buildId);
    return { breakdown: breakdownToProto(priceBuild(state.configuration, state.currency, state.discounts), state.approvedTotal) };
  }

  /** By version, then id. */
  async changeOrders(ctx: RequestContext, request: ledgerBuildsV1.ListChangeOrdersRequest): Promise<ledgerBuildsV1.ListChangeOrdersResponse> {
    const { buildId, page } = validate(changeOrdersRequest, request);
    const build = await this.row(ctx, buildId);
    const after = page.after;
    const where: FilterQuery<ChangeOrderRow> = {
      buildId,
      ...(after ? { $or: [{ version: { $gt: after.version } }, { version: after.version, changeOrderId: { $gt: after.id } }] } : {}),
    };
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(ChangeOrderSchema, where, { orderBy: { version: 'asc', changeOrderId: 'asc' }, limit: page.size + 1 });
      const { items, nextPageToken } = toPage(rows, page, (row) => ({ version: row.version, id: row.changeOrderId }));
      return { changeOrders: items.map((row) => changeOrderToProto(row, build.state.configuration)), page: { nextPageToken } };
    });
  }

  async snapshot(ctx: RequestContext, request: ledgerBuildsV1.GetBuildSnapshotRequest): Promise<ledgerBuildsV1.GetBuildSnapshotResponse> {
    const { buildId, version } = validate(snapshotRequest, request);
    const row = await withTenantScope(this.orm, ctx.tenantId, ({ em }) => em.findOne(BuildSnapshotSchema, { buildId, version }));
    if (!row) throw DomainError.notFound('build snapshot', `${buildId}@${version}`);
    return { snapshot: snapshotToProto(row) };
  }

  private async row(ctx: RequestContext, buildId: string): Promise<BuildRow> {
    const row = await withTenantScope(this.orm, ctx.tenantId, ({ em }) => em.findOne(BuildSchema, { buildId }));
    if (!row) throw DomainError.notFound('build', buildId);
    return row;
  }
}

function eventRecord(e: RecordedEvent) {
  return {
    eventId: e.eventId,
    type: e.type,
    streamPosition: String(e.streamPosition),
    occurredAt: toTimestamp(e.metadata.occurredAt),
    actorId: e.metadata.actorId,
    actorKind: e.metadata.actorKind ?? '',
    requestId: e.metadata.requestId,
    dataJson: JSON.stringify(e.data),
    schemaVersion: e.schemaVersion,
  };
}
