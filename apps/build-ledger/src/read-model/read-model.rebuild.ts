import type { RecordedEvent } from '@projectflo/platform/core';
import { type ReadModelRebuildOptions, type ReadModelRebuildReport, readModelProjection, rebuildReadModel } from '@projectflo/platform/persistence';
import { buildReadModelChecks, buildReadModelEntities, buildReadModelProjections } from './build-ledger-read-model';

/** Key of the rebuild's row in `projection_checkpoints`. */
export const BUILD_READ_MODEL_CHECKPOINT = 'build-ledger-builds-read-model';

/** Every table the catalog and builds read-model consumer writes; a rebuild truncates exactly these. */
export const BUILD_READ_MODEL_TABLES: readonly string[] = buildReadModelProjections.flatMap((p) => p.tables);

/** Entities the ORM of a rebuild must know. */
export const BUILD_READ_MODEL_ENTITIES = buildReadModelEntities;

/** Whether the read model takes a recorded event: the consumer dead-letters what it refuses and a rebuild skips it. */
export function buildReadModelAccepts(event: Pick<RecordedEvent, 'type' | 'schemaVersion' | 'data'>): boolean {
  if (!buildReadModelProjections.some((p) => p.handles.includes(event.type))) return false;
  const { schemaVersions, contract } = buildReadModelChecks(event.type);
  return schemaVersions.includes(event.schemaVersion) && contract.safeParse(event.data).success;
}

/** Rebuilds the catalog and builds read model (catalog_items, builds, change orders, snapshots) from the event store, swapped in at once. */
export function rebuildBuildReadModel(options: ReadModelRebuildOptions): Promise<ReadModelRebuildReport> {
  return rebuildReadModel({ ...options, projection: readModelProjection(BUILD_READ_MODEL_CHECKPOINT, buildReadModelProjections), accepts: buildReadModelAccepts });
}
