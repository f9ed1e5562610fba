import { Injectable } from '@nestjs/common';
import type { ledgerCatalogV1 } from '@projectflo/contracts';
import { BuildStreams, CATALOG_LIMITS, catalogDecider, type CatalogCommand, type CatalogKind } from '@projectflo/build-ledger/domain';
import { deriveId } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, optionalUuid, text, uuid, validate } from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { catalogItemToProto, catalogKind, detailsInput, detailsRequest, withProtoDetailFields } from './catalog.mapping';
import { catalogItemReply } from './catalog.view';

const upsertRequest = z.object({
  itemId: optionalUuid,
  name: text(CATALOG_LIMITS.name, { required: true }),
  description: text(CATALOG_LIMITS.description),
  ...detailsRequest,
  expectedVersion,
});
const retireRequest = z.object({ itemId: uuid, kind: catalogKind.required, expectedVersion });

/**
 * Defines, replaces and retires items of the caller's tenant's catalog (one stream per tenant).
 * Each replies with the item as the read model folds it (catalogItemReply) and the catalog's version.
 */
@Injectable()
export class CatalogCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async upsert(ctx: CommandContext, request: ledgerCatalogV1.UpsertCatalogItemRequest): Promise<ledgerCatalogV1.UpsertCatalogItemResponse> {
    const { itemId: given, name, description, expectedVersion: version, ...details } = validate(upsertRequest, request);
    const input = detailsInput(details);
    // A new item's id comes from the request id: a retried define finds its own item.
    const itemId = given ?? deriveId('catalog-item', ctx.tenantId, ctx.requestId);
    return withProtoDetailFields(input.kind, () => this.run(ctx, itemId, { type: 'UpsertCatalogItem', data: { itemId, name, description: description || null, details: input } }, version));
  }

  async retire(ctx: CommandContext, request: ledgerCatalogV1.RetireCatalogItemRequest): Promise<ledgerCatalogV1.RetireCatalogItemResponse> {
    const { itemId, kind, expectedVersion: version } = validate(retireRequest, request);
    return this.run(ctx, itemId, { type: 'RetireCatalogItem', data: { itemId, kind: kind as CatalogKind } }, version);
  }

  private async run(ctx: CommandContext, itemId: string, command: CommandIntent<CatalogCommand>, version?: number) {
    const result = await this.executor.run(catalogDecider, BuildStreams.catalog(ctx.tenantId), command, { context: ctx, expectedVersion: version, view: catalogItemReply(itemId) });
    return { ...(result.view ? { item: catalogItemToProto(result.view) } : {}), catalogVersion: String(result.version) };
  }
}
