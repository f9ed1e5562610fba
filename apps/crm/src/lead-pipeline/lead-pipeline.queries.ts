import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { crmV1 } from '@projectflo/contracts';
import { type RequestContext, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { pipelineSummary, type LeadStatusView } from '@projectflo/crm/domain';
import { LeadStatusSchema, type LeadStatusRow } from './lead-pipeline.entities';
import { leadStatusToProto } from './lead-pipeline.mapping';

/** ListLeadStatusesRequest and GetPipelineSummaryRequest. */
const includeRetiredRequest = z.object({ includeRetired: z.boolean() });

@Injectable()
export class LeadPipelineQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  listLeadStatuses(ctx: RequestContext, request: crmV1.ListLeadStatusesRequest): Promise<crmV1.ListLeadStatusesResponse> {
    const { includeRetired } = validate(includeRetiredRequest, request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await this.statuses(em, ctx.tenantId, includeRetired);
      return { leadStatuses: rows.map(leadStatusToProto) };
    });
  }

  /** The pipeline board by the domain's rule (pipelineSummary), over the read model's counts. */
  getPipelineSummary(ctx: RequestContext, request: crmV1.GetPipelineSummaryRequest): Promise<crmV1.GetPipelineSummaryResponse> {
    const { includeRetired } = validate(includeRetiredRequest, request);
    return withTenantScope(this.orm, ctx.tenantId, async (tx) => {
      const rows = await this.statuses(tx.em, ctx.tenantId, true);
      const counts = await tx.query<{ status_id: string; n: string }>(
        'SELECT status_id, count(*)::text AS n FROM leads WHERE tenant_id = $1 AND NOT archived GROUP BY status_id',
        [ctx.tenantId],
      );
      const openLeadsByStatus = new Map(counts.map((c) => [c.status_id, Number(c.n)]));
      const summary = pipelineSummary(openLeadsByStatus, rows.map(statusView), { includeRetired });
      const stages = summary.rows.map((s) => ({
        statusId: s.statusId,
        statusName: s.name,
        position: s.order ?? -1,
        retired: s.retired,
        leadCount: s.leadCount,
      }));
      const { openLeads } = summary;
      return { stages, openLeads };
    });
  }

  /** Active statuses by position, then retired ones in the order they were defined. */
  private async statuses(em: EntityManager, tenantId: string, includeRetired: boolean): Promise<LeadStatusRow[]> {
    const rows = await em.find(LeadStatusSchema, includeRetired ? { tenantId } : { tenantId, retired: false }, {
      orderBy: { retired: 'asc', position: 'asc', definedAt: 'asc', statusId: 'asc' },
    });
    return rows;
  }
}

function statusView(row: LeadStatusRow): LeadStatusView {
  return { statusId: row.statusId, name: row.name, description: row.description, retired: row.retired, order: row.position };
}
