import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '@projectflo/platform/core';
import { type Projection, type ReadModelRebuildOptions, type ReadModelRebuildReport, rebuildReadModel } from '@projectflo/platform/persistence';
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
  const byType = new Map<string, Projection>();
  for (const projection of crmProjections) for (const type of projection.handles) byType.set(type, projection);
  const readModel: Projection = {
    name: CRM_READ_MODEL_CHECKPOINT,
    handles: [...byType.keys()],
    tables: CRM_READ_MODEL_TABLES,
    async apply(em: EntityManager, event: RecordedEvent): Promise<void> {
      await byType.get(event.type)?.apply(em, event);
      await em.flush();
    },
  };
  return rebuildReadModel({ ...options, projection: readModel, accepts: crmReadModelAccepts });
}
