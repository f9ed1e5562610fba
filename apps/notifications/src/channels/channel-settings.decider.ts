import { assertNever, type Command, defineDecider, type DomainEvent, DomainError } from '@projectflo/platform/core';
import type { ExternalChannel } from './channel-adapter';

/** A sealed secret by reference: its row in channel_secrets and the key that wraps its data key. */
export interface SecretRef {
  readonly secretId: string;
  readonly kekId: string;
}

export interface ChannelSetting {
  readonly sender: string | null;
  readonly username: string | null;
  readonly secret: SecretRef | null;
}

export type ChannelSettingsState = Readonly<Partial<Record<ExternalChannel, ChannelSetting>>>;

export type ChannelSettingsChanged = DomainEvent<
  'ChannelSettingsChanged',
  ChannelSetting & { readonly tenantId: string; readonly channel: ExternalChannel; readonly secretChanged: boolean; readonly changedBy: string; readonly changedAt: string }
>;
export type ChannelSettingsEvent = ChannelSettingsChanged;

/** `secret`: a newly sealed secret, null to remove it, 'keep' for the one stored. */
export type SetChannelSettings = Command<
  'SetChannelSettings',
  { readonly channel: ExternalChannel; readonly sender: string | null; readonly username: string | null; readonly secret: SecretRef | null | 'keep' }
>;
export type ChannelSettingsCommand = SetChannelSettings;

const evolve = (state: ChannelSettingsState, event: ChannelSettingsEvent): ChannelSettingsState => {
  switch (event.type) {
    case 'ChannelSettingsChanged': {
      const { channel, sender, username, secret } = event.data;
      return { ...state, [channel]: { sender, username, secret } };
    }
    default:
      return assertNever(event.type, 'channel settings event');
  }
};

/**
 * A tenant's channel settings (stream `channel-settings-<tenant>`). The event carries the secret's
 * reference only (id and key id) and whether it changed, never the secret, not even sealed.
 * Email and SMS need a sender; setting exactly what is set records nothing.
 */
function decide(command: ChannelSettingsCommand, state: ChannelSettingsState): ChannelSettingsEvent[] {
  switch (command.type) {
    case 'SetChannelSettings': {
      const { channel, sender, username } = command.data;
      if ((channel === 'email' || channel === 'sms') && sender === null) throw DomainError.invalid({ field: 'sender', description: 'is required for email and SMS' });
      const current = state[channel];
      const secret = command.data.secret === 'keep' ? (current?.secret ?? null) : command.data.secret;
      const secretChanged = (current?.secret?.secretId ?? null) !== (secret?.secretId ?? null);
      if (current && current.sender === sender && current.username === username && !secretChanged) return [];
      return [
        {
          type: 'ChannelSettingsChanged',
          data: { tenantId: command.metadata.tenantId, channel, sender, username, secret, secretChanged, changedBy: command.metadata.actorId, changedAt: command.metadata.now.toISOString() },
        },
      ];
    }
    default:
      return assertNever(command.type, 'channel settings command');
  }
}

export const channelSettingsDecider = defineDecider<ChannelSettingsState, ChannelSettingsCommand, ChannelSettingsEvent>({
  aggregate: 'channel-settings',
  schemaVersions: { ChannelSettingsChanged: 1 },
  initialState: () => ({}),
  evolve,
  decide,
});
