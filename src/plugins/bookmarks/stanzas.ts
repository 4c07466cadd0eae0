/** Room bookmarks in both formats: XEP-0402 (PEP urn:xmpp:bookmarks:1) and XEP-0048 (storage:bookmarks). */
import { JID } from '../../model/JID';
import { appendChild, childElements, childText, firstChild } from '../../protocol/xml';

export const NS_BOOKMARKS = 'urn:xmpp:bookmarks:1';
export const NS_BOOKMARKS_LEGACY = 'storage:bookmarks';
export const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';
export const NS_PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';
export const NS_PRIVATE = 'jabber:iq:private';

export interface Bookmark {
  /** room bare JID */
  jid: string;
  name?: string;
  autojoin: boolean;
  nick?: string;
  password?: string;
}

function bool(value: string | null): boolean {
  return value === 'true' || value === '1';
}

function bareRoom(jid: string | null): string | undefined {
  try {
    const parsed = JID.parse(jid ?? '');
    return parsed.local && !parsed.resource ? parsed.bare : undefined;
  } catch {
    return undefined;
  }
}

function withOptional(b: Bookmark, name: string | null | undefined, nick: string | undefined, password: string | undefined): Bookmark {
  if (name) b.name = name;
  if (nick) b.nick = nick;
  if (password) b.password = password;
  return b;
}

/** XEP-0402 §3: one pubsub <item id="room JID"><conference/></item>. Undefined when malformed. */
export function parseBookmarkItem(item: Element): Bookmark | undefined {
  const jid = bareRoom(item.getAttribute('id'));
  const conference = firstChild(item, 'conference', NS_BOOKMARKS);
  if (!jid || !conference) {
    return undefined;
  }
  return withOptional({ jid, autojoin: bool(conference.getAttribute('autojoin')) }, conference.getAttribute('name'), childText(conference, 'nick', NS_BOOKMARKS), childText(conference, 'password', NS_BOOKMARKS));
}

/** Every valid bookmark among the <item/> children of a pubsub <items/> (result or event). */
export function parseBookmarkItems(items: Element): Bookmark[] {
  return childElements(items, 'item').flatMap((item) => parseBookmarkItem(item) ?? []);
}

/** XEP-0048: the <conference/> children of <storage xmlns="storage:bookmarks"/>. */
export function parseLegacyStorage(storage: Element): Bookmark[] {
  return childElements(storage, 'conference', NS_BOOKMARKS_LEGACY).flatMap((c) => {
    const jid = bareRoom(c.getAttribute('jid'));
    return jid ? [withOptional({ jid, autojoin: bool(c.getAttribute('autojoin')) }, c.getAttribute('name'), childText(c, 'nick', NS_BOOKMARKS_LEGACY), childText(c, 'password', NS_BOOKMARKS_LEGACY))] : [];
  });
}

/** Appends the XEP-0402 <conference/> payload of a bookmark. */
export function appendConference(parent: Element, b: Bookmark): Element {
  const conference = appendChild(parent, 'conference', { xmlns: NS_BOOKMARKS, autojoin: b.autojoin ? 'true' : 'false', ...(b.name ? { name: b.name } : {}) });
  if (b.nick) appendChild(conference, 'nick', {}, b.nick);
  if (b.password) appendChild(conference, 'password', {}, b.password);
  return conference;
}

/** Appends a whole XEP-0048 <storage/> with these bookmarks (private storage replaces it whole). */
export function appendLegacyStorage(parent: Element, bookmarks: Bookmark[]): Element {
  const storage = appendChild(parent, 'storage', { xmlns: NS_BOOKMARKS_LEGACY });
  for (const b of bookmarks) {
    const conference = appendChild(storage, 'conference', { jid: b.jid, autojoin: b.autojoin ? 'true' : 'false', ...(b.name ? { name: b.name } : {}) });
    if (b.nick) appendChild(conference, 'nick', {}, b.nick);
    if (b.password) appendChild(conference, 'password', {}, b.password);
  }
  return storage;
}
