import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { CommandExecutor, ServiceHost } from '@projectflo/platform/service';
import { createTaskTimerActivities } from './task-timers.activities';

/** Hands the task timers activities to the service's Temporal worker. */
@Injectable()
export class TaskTimerActivitiesRegistration implements OnModuleInit {
  constructor(
    private readonly host: ServiceHost,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.host.setActivities(createTaskTimerActivities({ executor: this.executor, clock: this.clock }));
  }
}
