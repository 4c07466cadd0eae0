import type { Settings } from '../../core/Settings';

/**
 * The user's choices for the chat's attention features, with their defaults. They are settings of
 * id "chat" (src/core/Settings.ts): shown in the Settings dialog, sent to the host page through
 * options.onOptionChange("chat", key, value, exportId) and given back through options.loadOptions.
 */
export interface ChatSettingsValues {
  /** desktop notifications for messages that arrive while the chat is not in view */
  notifications: boolean;
  /** a short sound for such messages */
  sound: boolean;
}

export const CHAT_SETTINGS_DEFAULTS: Readonly<ChatSettingsValues> = { notifications: true, sound: false };

const LABELS: Record<keyof ChatSettingsValues, string> = { notifications: 'Setting_desktop_notifications', sound: 'Setting_notification_sound' };

export class ChatSettings {
  constructor(private readonly settings: Settings) {
    const defined = settings.defined();
    for (const key of Object.keys(CHAT_SETTINGS_DEFAULTS) as Array<keyof ChatSettingsValues>) {
      if (!defined.some((d) => d.id === 'chat' && d.key === key)) {
        settings.define({ id: 'chat', key, labelKey: LABELS[key], type: 'boolean', default: CHAT_SETTINGS_DEFAULTS[key] });
      }
    }
  }

  get<K extends keyof ChatSettingsValues>(key: K): ChatSettingsValues[K] {
    return this.settings.get<ChatSettingsValues[K]>('chat', key) ?? CHAT_SETTINGS_DEFAULTS[key];
  }

  /** Sets a choice; throws a TypeError naming the key when it is unknown or the value has the wrong type. */
  set<K extends keyof ChatSettingsValues>(key: K, value: ChatSettingsValues[K]): void {
    if (!(key in CHAT_SETTINGS_DEFAULTS)) {
      throw new TypeError(`Unknown chat setting "${String(key)}". Known: ${Object.keys(CHAT_SETTINGS_DEFAULTS).join(', ')}`);
    }
    this.settings.set('chat', key, value);
  }
}
