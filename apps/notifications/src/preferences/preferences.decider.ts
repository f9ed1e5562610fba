import { assertNever, type Command, defineDecider, type DomainEvent, Violations } from '@projectflo/platform/core';
import type { NotificationChannel } from '../rules/notification-rules.events';

export interface QuietHoursSetting {
  readonly start: string;
  readonly end: string;
}

/** What a user set: the whole set each time. */
export interface PreferenceSet {
  readonly channelOptOuts: readonly NotificationChannel[];
  readonly mutedRuleIds: readonly string[];
  readonly quietHours: QuietHoursSetting | null;
  readonly timezone: string | null;
  readonly locale: string | null;
}

export type NotificationPreferencesSet = DomainEvent<'NotificationPreferencesSet', PreferenceSet & { readonly tenantId: string; readonly userId: string; readonly setAt: string }>;
export type PreferencesEvent = NotificationPreferencesSet;
export type SetNotificationPreferences = Command<'SetNotificationPreferences', { readonly userId: string; readonly preferences: PreferenceSet }>;
export type PreferencesCommand = SetNotificationPreferences;

export const NO_PREFERENCES: PreferenceSet = { channelOptOuts: [], mutedRuleIds: [], quietHours: null, timezone: null, locale: null };
export const MAX_MUTED_RULES = 200;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const evolve = (_state: PreferenceSet, event: PreferencesEvent): PreferenceSet => {
  switch (event.type) {
    case 'NotificationPreferencesSet': {
      const { channelOptOuts, mutedRuleIds, quietHours, timezone, locale } = event.data;
      return { channelOptOuts, mutedRuleIds, quietHours, timezone, locale };
    }
    default:
      return assertNever(event.type, 'preferences event');
  }
};

/**
 * One user's notification preferences in one tenant (stream `notification-preferences-<tenant>.<user>`).
 * In-app cannot be opted out of (the inbox is where everything else can still be read); quiet
 * hours need a time zone and a start different from their end (start after end spans midnight).
 */
function decide(command: PreferencesCommand, _state: PreferenceSet): PreferencesEvent[] {
  switch (command.type) {
    case 'SetNotificationPreferences': {
      const p = command.data.preferences;
      const v = new Violations();
      v.check(!p.channelOptOuts.includes('in_app'), 'preferences.channelOptOuts', 'cannot include in-app');
      v.check(p.mutedRuleIds.length <= MAX_MUTED_RULES, 'preferences.mutedRuleIds', `must have at most ${MAX_MUTED_RULES} entries`);
      const timezone = p.timezone === null ? null : v.timezone('preferences.timezone', p.timezone);
      if (p.quietHours) {
        v.check(CLOCK_TIME.test(p.quietHours.start), 'preferences.quietHours.start', 'must be HH:mm');
        v.check(CLOCK_TIME.test(p.quietHours.end), 'preferences.quietHours.end', 'must be HH:mm');
        v.check(p.quietHours.start !== p.quietHours.end, 'preferences.quietHours.end', 'must differ from the start');
        v.check(p.timezone !== null, 'preferences.timezone', 'is required with quiet hours');
      }
      v.check(p.locale === null || (p.locale.length <= 35 && LOCALE.test(p.locale)), 'preferences.locale', 'must be a BCP 47 language tag');
      v.throwIfAny();
      return [
        {
          type: 'NotificationPreferencesSet',
          data: {
            tenantId: command.metadata.tenantId,
            userId: command.data.userId,
            channelOptOuts: [...new Set(p.channelOptOuts)],
            mutedRuleIds: [...new Set(p.mutedRuleIds)],
            quietHours: p.quietHours,
            timezone,
            locale: p.locale,
            setAt: command.metadata.now.toISOString(),
          },
        },
      ];
    }
    default:
      return assertNever(command.type, 'preferences command');
  }
}

export const preferencesDecider = defineDecider<PreferenceSet, PreferencesCommand, PreferencesEvent>({
  aggregate: 'notification-preferences',
  schemaVersions: { NotificationPreferencesSet: 1 },
  initialState: () => NO_PREFERENCES,
  evolve,
  decide,
});
