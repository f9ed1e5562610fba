import { Inject, Injectable } from '@nestjs/common';
import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import type { ledgerCatalogV1 } from '@projectflo/contracts';
import { pageRequest, type RequestContext, text, toPage, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { CatalogItemSchema, type CatalogItemRow } from './catalog.entities';
import { catalogItemToProto, catalogKind } from './catalog.mapping';

const cursor = z.object({ kind: text(40), name: text(1_000), id: text(128) });
const listRequest = z.object({ kind: catalogKind.optional, includeRetired: z.boolean(), page: pageRequest(cursor) });

/** The catalog from the read model (catalog_items), inside the caller's tenant: by kind, then name. */
@Injectable()
export class CatalogQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  async list(ctx: RequestContext, request: ledgerCatalogV1.ListCatalogItemsRequest): Promise<ledgerCatalogV1.ListCatalogItemsResponse> {
    const { kind, includeRetired, page } = validate(listRequest, request);
    const after = page.after;
    const where: FilterQuery<CatalogItemRow> = {
      ...(kind ? { kind } : {}),
      ...(includeRetired ? {} : { retired: false }),
      ...(after
        ? { $or: [{ kind: { $gt: after.kind } }, { kind: after.kind, name: { $gt: after.name } }, { kind: after.kind, name: after.name, itemId: { $gt: after.id } }] }
        : {}),
    } as FilterQuery<CatalogItemRow>;
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(CatalogItemSchema, where, { orderBy: { kind: 'asc', name: 'asc', itemId: 'asc' }, limit: page.size + 1 });
      const { items, nextPageToken } = toPage(rows, page, (row) => ({ kind: row.kind, name: row.name, id: row.itemId }));
      return { items: items.map(catalogItemToProto), page: { nextPageToken } };
    });
  }
}
