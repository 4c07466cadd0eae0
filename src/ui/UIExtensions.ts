import type { MenuEntries } from '../core/MenuEntries';
import type { SettingDescriptor, Settings } from '../core/Settings';
import type { Chat } from '../model/Chat';
import type { Contact } from '../model/Contact';
import type { Message } from '../model/Message';
import type { PluginEntry } from '../plugins/Plugin';

/** What a group chat window hands a chat button as its `chat`: the room's JID and a way to send to the room. */
export interface RoomChatHandle {
  /** the room's bare JID */
  peer: string;
  /** sends a message to the room (resolves once sent) */
  send(body: string): Promise<unknown>;
}

/** Where a chat button shows: one-to-one chat windows (the default), group chat windows, or both. */
export type ChatButtonPlace = 'chat' | 'groupchat' | 'both';

const PLACES: ChatButtonPlace[] = ['chat', 'groupchat', 'both'];

/** A button a plugin adds to the title bar of every one-to-one (and/or group) chat window. */
export interface ChatButton {
  /** unique among the buttons; becomes a class `jsxc-chat__plugin-ID` for styling */
  id: string;
  /** the button's accessible name (and its text when it has no icon) */
  label: string;
  /** a URL or data: URL of an image shown instead of the label text */
  icon?: string;
  /** which windows show it: 'chat' (one-to-one, the default), 'groupchat' or 'both' */
  in?: ChatButtonPlace;
  /**
   * The user clicked it. In a one-to-one window `contact` is the chat partner and `chat` the Chat;
   * in a group chat window `contact` is the room (a MultiUserContact) and `chat` a RoomChatHandle.
   * Either way, send with `chat.send(text)`.
   */
  onClick(contact: Contact | undefined, chat: Chat | RoomChatHandle): void;
}

/** Runs after a message's element is rendered; may add decorations (with textContent, never innerHTML). */
export type MessageRenderer = (message: Message, element: HTMLElement) => void;
/** Runs after a contact's roster item is rendered; may add decorations. */
export type RosterDecoration = (contact: Contact, element: HTMLElement) => void;

/** What a plugin's ui() gets: the places a plugin may add UI to. Each add* returns a remover. */
export interface UIContext {
  /** the id of the plugin this context belongs to */
  pluginId: string;
  addChatButton(button: ChatButton): () => void;
  addMessageRenderer(renderer: MessageRenderer): () => void;
  /** a main-menu entry, same shape as jsxc.addMenuEntry(options) */
  addMenuEntry(entry: { id: string; label: string; handler: (ev: Event) => void; icon?: string; offlineAvailable?: boolean }): () => void;
  addRosterDecoration(decoration: RosterDecoration): () => void;
  /** a setting in the Settings dialog (its value: jsxc settings, id and key of the descriptor) */
  defineSetting(descriptor: SettingDescriptor): void;
}

interface Owned<T> {
  owner: string;
  value: T;
}

function checkFunction(plugin: string, what: string, f: unknown): void {
  if (typeof f !== 'function') {
    throw new TypeError(`Plugin "${plugin}": ${what} must be a function, got ${f === null ? 'null' : typeof f}`);
  }
}

function checkButton(plugin: string, button: unknown): ChatButton {
  const b = button as Partial<ChatButton> | null;
  if (!b || typeof b !== 'object') {
    throw new TypeError(`Plugin "${plugin}": addChatButton(button) needs an object with id, label and onClick`);
  }
  if (typeof b.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(b.id)) {
    throw new TypeError(`Plugin "${plugin}": chat button id must be lower-case letters, digits and dashes, got ${JSON.stringify(b.id)}`);
  }
  if (typeof b.label !== 'string' || b.label === '') {
    throw new TypeError(`Plugin "${plugin}": chat button "${b.id}" needs a non-empty label (its accessible name)`);
  }
  if (b.icon !== undefined && (typeof b.icon !== 'string' || /^\s*javascript:/i.test(b.icon))) {
    throw new TypeError(`Plugin "${plugin}": chat button "${b.id}": icon must be an image URL or a data: URL`);
  }
  if (b.in !== undefined && !PLACES.includes(b.in)) {
    throw new TypeError(`Plugin "${plugin}": chat button "${b.id}": in must be 'chat', 'groupchat' or 'both', got ${JSON.stringify(b.in)}`);
  }
  checkFunction(plugin, `chat button "${b.id}": onClick`, b.onClick);
  return b as ChatButton;
}

/**
 * The UI contributions of the enabled plugins of one widget (docs/plugins.md): chat-window buttons,
 * message renderers, roster decorations, main-menu entries and settings. The widget calls each
 * enabled plugin's ui() once when it mounts; chat windows, the message list and the roster ask
 * this object what to add. A disabled plugin's ui() is never called, so it contributes nothing.
 */
export class UIExtensions {
  private buttons: Owned<ChatButton>[] = [];
  private renderers: Owned<MessageRenderer>[] = [];
  private decorations: Owned<RosterDecoration>[] = [];
  private teardowns: Array<() => void> = [];
  /** open windows' button slots, re-rendered when a button is added or removed */
  private buttonListeners = new Set<() => void>();

  constructor(
    private readonly menuEntries?: MenuEntries,
    private readonly settings?: Settings,
  ) {}

  /** Calls ui() of every given (enabled) plugin entry; a failing plugin is reported, the others go on. */
  mountPlugins(entries: PluginEntry[]): void {
    for (const entry of entries) {
      if (typeof entry.ui !== 'function') {
        continue;
      }
      try {
        const teardown = entry.ui(this.contextFor(entry.id));
        if (typeof teardown === 'function') {
          this.teardowns.push(teardown);
        }
      } catch (err) {
        console.error(`[jsxc] ui() of plugin "${entry.id}" failed:`, err);
      }
    }
  }

  /** Runs the plugins' teardowns. */
  unmount(): void {
    this.teardowns.splice(0).forEach((f) => f());
  }

  contextFor(owner: string): UIContext {
    const add = <T>(list: Owned<T>[], value: T) => {
      const item = { owner, value };
      list.push(item);
      return () => {
        const at = list.indexOf(item);
        if (at !== -1) list.splice(at, 1);
      };
    };
    return {
      pluginId: owner,
      addChatButton: (button) => {
        const b = checkButton(owner, button);
        if (this.buttons.some((x) => x.value.id === b.id)) {
          throw new TypeError(`Plugin "${owner}": a chat button with the id "${b.id}" exists already`);
        }
        const remove = add(this.buttons, b);
        this.buttonsChanged();
        return () => {
          remove();
          this.buttonsChanged();
        };
      },
      addMessageRenderer: (renderer) => {
        checkFunction(owner, 'addMessageRenderer(renderer): renderer', renderer);
        return add(this.renderers, renderer);
      },
      addRosterDecoration: (decoration) => {
        checkFunction(owner, 'addRosterDecoration(decoration): decoration', decoration);
        return add(this.decorations, decoration);
      },
      addMenuEntry: (entry) => {
        if (!this.menuEntries) {
          throw new Error(`Plugin "${owner}": this widget has no main menu`);
        }
        const added = this.menuEntries.add(entry);
        return () => this.menuEntries!.remove(added.id);
      },
      defineSetting: (descriptor) => {
        if (!this.settings) {
          throw new Error(`Plugin "${owner}": this widget has no settings`);
        }
        this.settings.define(descriptor);
      },
    };
  }

  /** The chat-window buttons, in the order they were added. */
  chatButtons(): ChatButton[] {
    return this.buttons.map((b) => b.value);
  }

  private buttonsChanged(): void {
    this.buttonListeners.forEach((f) => f());
  }

  /**
   * Keeps the plugins' buttons for one window in its title bar, before `before`: those for
   * `place` ('chat' or 'groupchat'), also buttons added (or removed) while the window is open.
   * Returns the function that stops it and takes the buttons away (the window closes, or mounts
   * them again for a contact that became known).
   */
  mountChatButtons(before: Element, place: 'chat' | 'groupchat', contact: Contact | undefined, chat: Chat | RoomChatHandle): () => void {
    let shown: HTMLButtonElement[] = [];
    const render = () => {
      shown.forEach((b) => b.remove());
      shown = this.renderChatButtons(contact, chat, place);
      shown.forEach((b) => before.before(b));
    };
    render();
    this.buttonListeners.add(render);
    return () => {
      this.buttonListeners.delete(render);
      shown.forEach((b) => b.remove());
    };
  }

  /** Builds the plugins' buttons for one chat window of the given kind. */
  renderChatButtons(contact: Contact | undefined, chat: Chat | RoomChatHandle, place: 'chat' | 'groupchat' = 'chat'): HTMLButtonElement[] {
    return this.chatButtons().filter((b) => (b.in ?? 'chat') === place || b.in === 'both').map((b) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `jsxc-chat__icon-button jsxc-chat__plugin-button jsxc-chat__plugin-${b.id}`;
      button.setAttribute('aria-label', b.label);
      button.title = b.label;
      if (b.icon) {
        const img = document.createElement('img');
        img.src = b.icon;
        img.alt = '';
        img.className = 'jsxc-chat__plugin-icon';
        button.appendChild(img);
      } else {
        button.textContent = b.label;
      }
      button.addEventListener('click', () => {
        try {
          b.onClick(contact, chat);
        } catch (err) {
          console.error(`[jsxc] chat button "${b.id}" failed:`, err);
        }
      });
      return button;
    });
  }

  /** Lets the message renderers decorate a freshly rendered message element. */
  decorateMessage(message: Message, element: HTMLElement): void {
    this.runAll(this.renderers, (f) => f(message, element));
  }

  /** Lets the roster decorations decorate a freshly rendered contact item. */
  decorateContact(contact: Contact, element: HTMLElement): void {
    this.runAll(this.decorations, (f) => f(contact, element));
  }

  private runAll<T>(list: Owned<T>[], call: (f: T) => void): void {
    for (const { owner, value } of [...list]) {
      try {
        call(value);
      } catch (err) {
        console.error(`[jsxc] UI extension of plugin "${owner}" failed:`, err);
      }
    }
  }
}
