import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '@projectflo/platform/core';
import { rowProjection } from '@projectflo/platform/persistence';
import { BuildSchema, BuildSnapshotSchema, ChangeOrderSchema } from './builds.entities';
import { BUILD_EVENT_TYPES, changeOrderIdOf, evolveBuildRow, evolveChangeOrderRow, snapshotOf } from './builds.view';

/**
 * Builds: the build row (rowProjection, idempotent by the stream version), and beside it the
 * change-order and snapshot rows its events fold, written only once the build row took the event.
 */
export const buildProjection = rowProjection({
  name: 'build-ledger-builds',
  handles: BUILD_EVENT_TYPES,
  entity: BuildSchema,
  table: 'builds',
  key: (event) => ({ buildId: (event.data as { buildId: string }).buildId }),
  fold: evolveBuildRow,
  alongside: { tables: ['build_change_orders', 'build_snapshots'], apply: applyToChangeOrdersAndSnapshots },
});

async function applyToChangeOrdersAndSnapshots(em: EntityManager, event: RecordedEvent): Promise<void> {
  const changeOrderId = changeOrderIdOf(event);
  if (changeOrderId !== undefined) {
    const current = (await em.findOne(ChangeOrderSchema, { changeOrderId })) ?? undefined;
    const next = evolveChangeOrderRow(current ? { ...current } : undefined, event);
    if (next && current) Object.assign(current, next);
    else if (next) em.create(ChangeOrderSchema, next);
  }
  const snapshot = snapshotOf(event);
  if (snapshot && !(await em.findOne(BuildSnapshotSchema, { buildId: snapshot.buildId, version: snapshot.version }))) em.create(BuildSnapshotSchema, snapshot);
}
