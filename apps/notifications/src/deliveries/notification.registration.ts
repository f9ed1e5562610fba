import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { CommandExecutor, ServiceHost } from '@projectflo/platform/service';
import { FactsRepository } from '../facts/facts.repository';
import { CHANNEL_ADAPTERS, type ChannelAdapters, IN_APP_INBOX, type InAppInboxPort, RECIPIENT_PREFERENCES, type RecipientPreferencesPort } from './delivery.ports';
import { DigestStarter } from './digest.starter';
import { createNotificationActivities } from './notification.activities';
import { ThrottleSlots } from './throttle-slots.repository';

/** Hands the notification activities to the service's Temporal worker, with the channels, inbox and preferences the app binds. */
@Injectable()
export class NotificationActivitiesRegistration implements OnModuleInit {
  constructor(
    private readonly host: ServiceHost,
    private readonly executor: CommandExecutor,
    private readonly facts: FactsRepository,
    private readonly digests: DigestStarter,
    private readonly throttle: ThrottleSlots,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(CHANNEL_ADAPTERS) private readonly adapters?: ChannelAdapters,
    @Optional() @Inject(RECIPIENT_PREFERENCES) private readonly preferences?: RecipientPreferencesPort,
    @Optional() @Inject(IN_APP_INBOX) private readonly inbox?: InAppInboxPort,
  ) {}

  onModuleInit(): void {
    this.host.setActivities(
      createNotificationActivities({
        executor: this.executor,
        facts: this.facts,
        digests: this.digests,
        throttle: this.throttle,
        clock: this.clock,
        adapters: this.adapters ?? [],
        preferences: this.preferences ?? null,
        inbox: this.inbox ?? null,
      }),
    );
  }
}
