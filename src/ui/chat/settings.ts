import type { ResolvedOptions } from '../../api/Options';

/**
 * The user's choices for the chat's attention features, with their defaults. Changes go to the
 * host page through options.onOptionChange("chat", key, value, exportId); the settings dialog
 * (a separate feature) shows and changes them.
 */
export interface ChatSettingsValues {
  /** desktop notifications for messages that arrive while the chat is not in view */
  notifications: boolean;
  /** a short sound for such messages */
  sound: boolean;
}

export const CHAT_SETTINGS_DEFAULTS: Readonly<ChatSettingsValues> = { notifications: true, sound: false };

export class ChatSettings {
  private values: ChatSettingsValues = { ...CHAT_SETTINGS_DEFAULTS };

  constructor(private readonly options?: Pick<ResolvedOptions, 'onOptionChange'>) {}

  get<K extends keyof ChatSettingsValues>(key: K): ChatSettingsValues[K] {
    return this.values[key];
  }

  /** Sets a choice; throws a TypeError naming the key when it is unknown or the value has the wrong type. */
  set<K extends keyof ChatSettingsValues>(key: K, value: ChatSettingsValues[K]): void {
    if (!(key in CHAT_SETTINGS_DEFAULTS)) {
      throw new TypeError(`Unknown chat setting "${String(key)}". Known: ${Object.keys(CHAT_SETTINGS_DEFAULTS).join(', ')}`);
    }
    if (typeof value !== typeof CHAT_SETTINGS_DEFAULTS[key]) {
      throw new TypeError(`Chat setting "${String(key)}" must be a ${typeof CHAT_SETTINGS_DEFAULTS[key]}, got ${typeof value}`);
    }
    if (this.values[key] === value) {
      return;
    }
    this.values[key] = value;
    this.options?.onOptionChange?.('chat', key, value, () => ({ chat: { ...this.values } }));
  }

  /** Applies saved choices (e.g. what options.loadOptions returned for "chat"); unknown keys are ignored with a warning. */
  load(saved: Record<string, unknown> | undefined): void {
    for (const [key, value] of Object.entries(saved ?? {})) {
      if (key in CHAT_SETTINGS_DEFAULTS && typeof value === typeof CHAT_SETTINGS_DEFAULTS[key as keyof ChatSettingsValues]) {
        this.values[key as keyof ChatSettingsValues] = value as boolean;
      } else {
        console.warn(`[jsxc] ignored chat setting "${key}": unknown, or not a ${typeof CHAT_SETTINGS_DEFAULTS[key as keyof ChatSettingsValues]}`);
      }
    }
  }
}
