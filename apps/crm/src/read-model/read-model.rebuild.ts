import { type ReadModelRebuildOptions, type ReadModelRebuildReport, readModelProjection, rebuildReadModel } from '@projectflo/platform/persistence';
import { crmEntities, crmProjections, crmReadModelAccepts } from './crm-read-model';

/** Every table the crm read-model consumer writes; a rebuild truncates exactly these. */
export const CRM_READ_MODEL_TABLES: readonly string[] = crmProjections.flatMap((p) => p.tables);

/** Entities the ORM of a rebuild must know (the projections create them through `em`). */
export const CRM_READ_MODEL_ENTITIES = crmEntities;

/** Key of the rebuild's row in `projection_checkpoints` (where and when the last rebuild ended). */
export const CRM_READ_MODEL_CHECKPOINT = 'crm-read-model';

/**
 * Rebuilds the whole crm read model from crm's event store (all projections together, swapped in
 * at once by rebuildProjection, so no reader ever sees organizations rebuilt but leads not, and no
 * transaction spans the replay). Each event goes through
 * the projection the live consumer registered for its type, and is flushed after each event as
 * `projectEvent` does, so later events of the page find the rows earlier ones made.
 */
export async function rebuildCrmReadModel(options: ReadModelRebuildOptions): Promise<ReadModelRebuildReport> {
  return rebuildReadModel({ ...options, projection: readModelProjection(CRM_READ_MODEL_CHECKPOINT, crmProjections), accepts: crmReadModelAccepts });
}
