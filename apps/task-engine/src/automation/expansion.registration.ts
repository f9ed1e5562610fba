import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { CommandExecutor, ServiceHost } from '@projectflo/platform/service';
import { createBuildExpansionActivities } from '../component-recipes/build-expansion.activities';
import { TemplateQueries } from '../templates/templates.queries';
import { AutomationTriggersRepository } from './automation-triggers.repository';
import { createExpansionActivities } from './expansion.activities';

/** Hands the expansion activities to the service's Temporal worker. */
@Injectable()
export class ExpansionActivitiesRegistration implements OnModuleInit {
  constructor(
    private readonly host: ServiceHost,
    private readonly executor: CommandExecutor,
    private readonly templates: TemplateQueries,
    private readonly automationTriggers: AutomationTriggersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.host.setActivities({
      ...createExpansionActivities({ executor: this.executor, templates: this.templates, automationTriggers: this.automationTriggers, clock: this.clock }),
      // A booked build's expansion (component-recipes/) plans with its own activity and creates with createTask.
      ...createBuildExpansionActivities({ executor: this.executor }),
    });
  }
}
