/**
 * The parts of the UI that are not needed to show the log-in button or the contact list. Each
 * loader imports its group once, as a webpack chunk (`chunks/` next to the bundle, publicPath
 * 'auto'), on first use: showing a dialog or a group chat window waits for it the first time only.
 * What goes where, and why: docs/architecture.md, "Chunks".
 */
import { lazyModule as once } from '../util/lazyModule';

export type { Lazy } from '../util/lazyModule';

/** The dialogs: log in, settings, about, register, add / edit contact, confirmations. */
export const loadDialogs = once(() => import(/* webpackChunkName: "dialogs" */ './dialogs'));

/** The one-to-one chat window and the message rendering it shares with the group chat window. */
export const loadChat = once(() => import(/* webpackChunkName: "chat" */ './chat/ChatWindow'));

/** Group chat: the group chat window and its dialogs (join with the room browser, create, configure, invite). */
export const loadGroupchat = once(() => import(/* webpackChunkName: "groupchat" */ './muc/groupchat'));

/** Runs `use` with the loaded group; a chunk that could not be loaded is logged with what it was for. */
export function withLazy<T>(load: () => Promise<T>, what: string, use: (m: T) => void): void {
  load().then(use, (err: unknown) => console.error(`[jsxc] could not load the code for ${what}:`, err));
}
