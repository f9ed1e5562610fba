import { type ContractChecks, contractChecks, ledgerEventContractsV1 } from '@projectflo/contracts';
import type { Projection } from '@projectflo/platform/persistence';
import { BUILD_ENTITIES } from '../builds/builds.entities';
import { buildProjection } from '../builds/builds.projection';
import { CatalogItemSchema } from '../catalog/catalog.entities';
import { catalogProjection } from '../catalog/catalog.projection';

/** Every entity of the catalog and builds read model (schema `build_ledger`, migrations in ../migrations). */
export const buildReadModelEntities = [CatalogItemSchema, ...BUILD_ENTITIES] as const;

/** Every projection the read-model consumer feeds; each owns disjoint tables and event types. */
export const buildReadModelProjections: readonly Projection[] = [catalogProjection, buildProjection];

/** What the read-model consumer checks of an event before projecting it: its published contract (ledger.build.v1, ledger.catalog.v1). */
export function buildReadModelChecks(type: string): ContractChecks {
  return contractChecks(ledgerEventContractsV1, type);
}
