import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '@projectflo/platform/core';
import { CLOCK } from '@projectflo/platform/grpc';
import { CommandExecutor, MIKRO_ORM, ServiceHost } from '@projectflo/platform/service';
import { createExpansionActivities } from './expansion.activities';

/** Hands the expansion activities to the service's Temporal worker. */
@Injectable()
export class ExpansionActivitiesRegistration implements OnModuleInit {
  constructor(
    private readonly host: ServiceHost,
    private readonly executor: CommandExecutor,
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.host.setActivities(createExpansionActivities({ executor: this.executor, orm: this.orm, clock: this.clock }));
  }
}
