import { type ReadModelRebuildOptions, type ReadModelRebuildReport, rebuildReadModel } from '@projectflo/platform/persistence';
import { READ_MODEL_TABLES, taskEngineReadModelProjection } from './read-model.projection';

/**
 * The tables a rebuild truncates and refills: those of the read-model consumer only. `subjects`
 * (fed from crm.lead.v1), `blocker_links`/`finished_blockers` (the dependencies consumer) and
 * `automation_triggers` (loop guard) are not projections of this service's event store and are
 * left alone.
 */
export const TASK_ENGINE_READ_MODEL_TABLES: readonly string[] = READ_MODEL_TABLES;

/** Key of the rebuild's row in `projection_checkpoints` (where and when the last rebuild ended). */
export const TASK_ENGINE_READ_MODEL_CHECKPOINT = taskEngineReadModelProjection.name;

/**
 * Rebuilds the task-engine read model from the service's event store (replayed into shadow tables
 * in short transactions, then swapped in at once: see rebuildProjection) through
 * the projection the live consumer applies (`taskEngineReadModelProjection`; its SQL needs no
 * flush between events).
 */
export function rebuildTaskEngineReadModel(options: ReadModelRebuildOptions): Promise<ReadModelRebuildReport> {
  return rebuildReadModel({ ...options, projection: taskEngineReadModelProjection, tables: TASK_ENGINE_READ_MODEL_TABLES });
}
