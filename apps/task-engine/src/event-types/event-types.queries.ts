import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { tasksV1 } from '@projectflo/contracts';
import type { RequestContext } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { type EventTypeRow, eventTypeToProto, eventTypeViewOfRow } from './event-types.view';

@Injectable()
export class EventTypeQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  async list(ctx: RequestContext, request: tasksV1.ListEventTypesRequest): Promise<tasksV1.ListEventTypesResponse> {
    const rows = await withTenantScope(this.orm, ctx.tenantId, (tx) =>
      tx.query<EventTypeRow>(
        'SELECT * FROM event_types WHERE ($1::boolean OR NOT retired) ORDER BY key',
        [request.includeRetired === true],
      ),
    );
    return { eventTypes: rows.map((row) => eventTypeToProto(eventTypeViewOfRow(row))) };
  }
}
