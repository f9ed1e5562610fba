import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EventStore } from '@projectflo/platform/core';
import {
  createDiagnosticsActivities,
  EVENT_STORE,
  type EventSourcedServiceOptions,
  PG_POOL,
  SERVICE_OPTIONS,
  ServiceHost,
} from '@projectflo/platform/service';
import type { Pool } from 'pg';

/** Every activity the scheduling worker runs; for now the operations diagnostics. */
@Injectable()
export class SchedulingActivities implements OnModuleInit {
  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly host: ServiceHost,
  ) {}

  onModuleInit(): void {
    this.host.setActivities({
      ...createDiagnosticsActivities({ service: this.options.service, pool: this.pool, store: this.store, host: this.host }),
    });
  }
}
