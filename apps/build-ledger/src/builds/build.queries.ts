import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { commonV1, ledgerV1 } from '@projectflo/contracts';
import { DomainError, type EventStore, type RecordedEvent } from '@projectflo/platform/core';
import { type RequestContext, idRequestSchema, instantPage, list, presenceUuid, protoEnum, toTimestamp, validate, type PageCursor, toPage } from '@projectflo/platform/grpc';
import { streamName } from '@projectflo/platform/messaging';
import { withTenantScope } from '@projectflo/platform/persistence';
import { EVENT_STORE, MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { type BuildStatusName, type BuildView, BuildViewSchema } from './build.entities';

export const BUILD_AGGREGATE = 'build';

const STATUS_TO_PROTO: Readonly<Record<BuildStatusName, ledgerV1.BuildStatus>> = {
  inquiry: ledgerV1.BuildStatus.BUILD_STATUS_INQUIRY,
  proposal_sent: ledgerV1.BuildStatus.BUILD_STATUS_PROPOSAL_SENT,
  booked: ledgerV1.BuildStatus.BUILD_STATUS_BOOKED,
  completed: ledgerV1.BuildStatus.BUILD_STATUS_COMPLETED,
  archived: ledgerV1.BuildStatus.BUILD_STATUS_ARCHIVED,
};
const PROTO_TO_STATUS = new Map<string, BuildStatusName>(Object.entries(STATUS_TO_PROTO).map(([name, proto]) => [proto, name as BuildStatusName]));

const listBuildsSchema = z.object({
  leadId: presenceUuid,
  statuses: list(protoEnum(ledgerV1.BuildStatus, { required: true }), Object.keys(STATUS_TO_PROTO).length),
  page: instantPage,
});

const money = (currency: string, amount: string): commonV1.Money => ({ currency, amount });

function toBuild(row: BuildView): ledgerV1.Build {
  return {
    buildId: row.id,
    leadId: row.leadId ?? '',
    name: row.name,
    status: STATUS_TO_PROTO[row.status],
    livePrice: money(row.currency, row.livePrice),
    ...(row.approvedPrice !== null ? { approvedPrice: money(row.currency, row.approvedPrice) } : {}),
    totalPaid: money(row.currency, row.totalPaid),
    balance: money(row.currency, row.balance),
    configurationLocked: row.configurationLocked,
    createdAt: toTimestamp(row.createdAt),
    updatedAt: toTimestamp(row.updatedAt),
    version: String(row.version),
  };
}

function toEventRecord(event: RecordedEvent): commonV1.EventRecord {
  return {
    eventId: event.eventId,
    type: event.type,
    streamPosition: String(event.streamPosition),
    occurredAt: toTimestamp(event.metadata.occurredAt),
    actorId: event.metadata.actorId,
    requestId: event.metadata.requestId,
    dataJson: JSON.stringify(event.data),
    schemaVersion: event.schemaVersion,
  };
}

const cursorOf = (row: BuildView): PageCursor => ({ at: row.createdAt, id: row.id });

/** The build read model (tenant-scoped) and the audit log of a build's stream. */
@Injectable()
export class BuildQueries {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async getBuild(context: RequestContext, request: ledgerV1.GetBuildRequest): Promise<ledgerV1.GetBuildResponse> {
    const { buildId } = validate(idRequestSchema('buildId'), request);
    const row = await withTenantScope(this.orm, context.tenantId, (tx) => tx.em.findOne(BuildViewSchema, { id: buildId }));
    if (!row) throw DomainError.notFound('build', buildId);
    return { build: toBuild(row) };
  }

  /** Newest first. */
  async listBuilds(context: RequestContext, request: ledgerV1.ListBuildsRequest): Promise<ledgerV1.ListBuildsResponse> {
    const filter = validate(listBuildsSchema, request);
    const window = filter.page;
    const where: FilterQuery<BuildView>[] = [];
    if (filter.leadId) where.push({ leadId: filter.leadId });
    if (filter.statuses.length > 0) where.push({ status: { $in: filter.statuses.flatMap((s) => PROTO_TO_STATUS.get(s) ?? []) } });
    if (window.after) {
      const { at, id } = window.after;
      where.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: id } }] });
    }
    const rows = await withTenantScope(this.orm, context.tenantId, (tx) =>
      tx.em.find(BuildViewSchema, where.length > 0 ? { $and: where } : {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: window.size + 1 }),
    );
    const { items, nextPageToken } = toPage(rows, window, cursorOf);
    return { builds: items.map(toBuild), page: { nextPageToken } };
  }

  /** The build's events as the store recorded them; another tenant's build is NOT_FOUND. */
  async getBuildHistory(context: RequestContext, request: ledgerV1.GetBuildHistoryRequest): Promise<ledgerV1.GetBuildHistoryResponse> {
    const { buildId } = validate(idRequestSchema('buildId'), request);
    const { version, events } = await this.store.readStream(streamName(BUILD_AGGREGATE, buildId));
    if (version === 0 || events[0]?.metadata.tenantId !== context.tenantId) throw DomainError.notFound('build', buildId);
    return { history: { aggregateType: BUILD_AGGREGATE, aggregateId: buildId, version: String(version), events: events.map(toEventRecord) } };
  }
}
