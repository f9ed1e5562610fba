import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '@projectflo/platform/core';
import type { Projection } from './projection';

/**
 * A service's read model as one projection, for its rebuild: each event goes to the projection
 * the live consumer registered for its type and is flushed after it as `projectEvent` does, so
 * later events of a page find the rows earlier ones made. Its tables are every projection's.
 */
export function readModelProjection(name: string, projections: readonly Projection[]): Projection {
  const byType = new Map<string, Projection>();
  for (const projection of projections) for (const type of projection.handles) byType.set(type, projection);
  return {
    name,
    handles: [...byType.keys()],
    tables: projections.flatMap((p) => p.tables),
    async apply(em: EntityManager, event: RecordedEvent): Promise<void> {
      await byType.get(event.type)?.apply(em, event);
      await em.flush();
    },
  };
}
