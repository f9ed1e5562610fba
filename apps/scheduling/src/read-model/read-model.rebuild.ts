import type { RecordedEvent } from '@projectflo/platform/core';
import { type ReadModelRebuildOptions, type ReadModelRebuildReport, readModelProjection, rebuildReadModel } from '@projectflo/platform/persistence';
import { schedulingEntities, schedulingProjections, schedulingReadModelChecks } from './scheduling-read-model';

/** Key of the rebuild's row in `projection_checkpoints`. */
export const SCHEDULING_READ_MODEL_CHECKPOINT = 'scheduling-read-model';

/** Every table the scheduling read-model consumer writes; a rebuild truncates exactly these. */
export const SCHEDULING_READ_MODEL_TABLES: readonly string[] = schedulingProjections.flatMap((p) => p.tables);

/** Entities the ORM of a rebuild must know. */
export const SCHEDULING_READ_MODEL_ENTITIES = schedulingEntities;

/** Whether the read model takes a recorded event: the consumer dead-letters what it refuses and a rebuild skips it. */
export function schedulingReadModelAccepts(event: Pick<RecordedEvent, 'type' | 'schemaVersion' | 'data'>): boolean {
  const { schemaVersions, contract } = schedulingReadModelChecks(event.type);
  return schemaVersions.includes(event.schemaVersion) && contract.safeParse(event.data).success;
}

/** Rebuilds the whole scheduling read model (task schedules, contributor calendars) from its event store, swapped in at once. */
export function rebuildSchedulingReadModel(options: ReadModelRebuildOptions): Promise<ReadModelRebuildReport> {
  return rebuildReadModel({ ...options, projection: readModelProjection(SCHEDULING_READ_MODEL_CHECKPOINT, schedulingProjections), accepts: schedulingReadModelAccepts });
}
