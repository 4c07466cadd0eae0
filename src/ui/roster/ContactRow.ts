import { Translate } from '../../i18n';
import { AvatarImage, Contact } from '../../model/Contact';
import { PresenceShow } from '../../model/Presence';
import { initials, paintAvatar } from '../avatar';
import { presenceText } from '../presenceText';

/**
 * The texts a contact row needs, translated once per language instead of once per contact (a
 * roster of 5,000 would otherwise call t() tens of thousands of times per render).
 */
export class RowTexts {
  private presence = new Map<PresenceShow, string>();
  readonly blocked: string;
  readonly pending: string;
  readonly unread: string;

  constructor(private readonly t: Translate) {
    this.blocked = t('blocked');
    this.pending = t('request_pending');
    this.unread = t('unread');
  }

  presenceText(show: PresenceShow): string {
    let text = this.presence.get(show);
    if (text === undefined) {
      text = presenceText(this.t, show);
      this.presence.set(show, text);
    }
    return text;
  }

  actionsFor(name: string): string {
    return this.t('Actions_for', { name });
  }
}

let prototype: HTMLLIElement | undefined;

/** The static part of a row, built once and cloned (cheaper than parsing markup per contact). */
function skeleton(): HTMLLIElement {
  if (!prototype) {
    const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, ...children: Node[]) => {
      const e = document.createElement(tag);
      e.className = className;
      e.append(...children);
      return e;
    };
    const hidden = <T extends HTMLElement>(e: T) => {
      e.setAttribute('aria-hidden', 'true');
      return e;
    };
    const li = el('li', 'jsxc-contact');
    li.tabIndex = -1;
    const button = el('button', 'jsxc-icon-button jsxc-contact__actions', hidden(el('span', 'jsxc-icon jsxc-icon--more')));
    button.type = 'button';
    button.tabIndex = -1;
    li.append(
      hidden(el('span', 'jsxc-avatar', el('span', 'jsxc-avatar__initials'))),
      el('span', 'jsxc-contact__text', el('span', 'jsxc-contact__name'), el('span', 'jsxc-contact__presence', hidden(el('span', 'jsxc-presence-dot')))),
      button,
    );
    prototype = li;
  }
  return prototype.cloneNode(true) as HTMLLIElement;
}

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

/** What a row shows, as last written into it (so an update writes only what changed). */
interface Shown {
  name: string;
  presence: PresenceShow;
  blocked: boolean;
  pending: boolean;
  status: string;
  unread: number;
  avatar: AvatarImage | undefined;
}

const shown = new WeakMap<HTMLLIElement, Shown>();

/**
 * One contact's `listitem` (ui-contract: starts with the display name, presence in its text), built
 * with DOM APIs: everything the remote party chose (name, status) goes in as textContent.
 * Structure and classes: li.jsxc-contact > .jsxc-avatar, .jsxc-contact__text (.jsxc-contact__name,
 * .jsxc-contact__presence), optional .jsxc-badge (unread), button.jsxc-contact__actions.
 */
export function buildContactRow(contact: Contact, texts: RowTexts): HTMLLIElement {
  const li = skeleton();
  li.dataset.jid = contact.jid;
  updateContactRow(li, contact, texts);
  return li;
}

/**
 * Brings a row built by buildContactRow up to date with its contact, in place: the `li` and its
 * parts stay the same elements and only what changed since the last call is written, so keyboard
 * focus, hover and a click in progress (mousedown on the row, mouseup after a presence change)
 * survive a presence, name, avatar or unread change.
 */
export function updateContactRow(li: HTMLLIElement, contact: Contact, texts: RowTexts): void {
  const was = shown.get(li);
  const now: Shown = {
    name: contact.displayName,
    presence: contact.presence,
    blocked: contact.blocked,
    pending: contact.pendingOut,
    status: contact.statusText,
    unread: contact.unreadCount,
    avatar: contact.avatar,
  };
  const avatar = li.children[0] as HTMLElement;
  const text = li.children[1];
  const nameEl = text.children[0] as HTMLElement;
  const presenceEl = text.children[1] as HTMLElement;
  const actions = li.querySelector<HTMLElement>(':scope > .jsxc-contact__actions')!;

  if (now.name !== was?.name) {
    li.setAttribute('aria-label', now.name);
    nameEl.textContent = now.name;
    avatar.firstElementChild!.textContent = initials(now.name);
    actions.setAttribute('aria-label', texts.actionsFor(now.name));
  }
  if (now.presence !== was?.presence) {
    li.dataset.presence = now.presence;
  }
  if (now.blocked !== was?.blocked) {
    li.dataset.blocked = String(now.blocked);
  }
  const presenceChanged = !was || now.presence !== was.presence || now.blocked !== was.blocked || now.pending !== was.pending || now.status !== was.status;
  if (presenceChanged) {
    // the presence dot stays; the text after it is written again
    const parts: (Node | string)[] = [texts.presenceText(now.presence)];
    if (now.blocked) {
      parts.push(', ', span('jsxc-contact__blocked', texts.blocked));
    }
    if (now.pending) {
      parts.push(`, ${texts.pending}`);
    }
    if (now.status) {
      parts.push(' – ', span('jsxc-contact__status', now.status));
    }
    presenceEl.replaceChildren(presenceEl.firstElementChild!, ...parts);
  }
  if (now.unread !== (was?.unread ?? 0)) {
    let badge = li.querySelector<HTMLElement>(':scope > .jsxc-badge');
    if (now.unread <= 0) {
      badge?.remove();
    } else if (badge) {
      badge.firstChild!.nodeValue = String(now.unread);
    } else {
      badge = span('jsxc-badge', String(now.unread));
      badge.append(span('jsxc-visually-hidden', ` ${texts.unread}`));
      li.insertBefore(badge, actions);
    }
  }
  if (presenceChanged || now.unread !== was?.unread) {
    // the name alone names the item; what a sighted user also sees (presence, status, unread count)
    // is its description, so a screen reader reads it too (an aria-label hides the item's text)
    const unread = now.unread > 0 ? `, ${now.unread} ${texts.unread}` : '';
    li.setAttribute('aria-description', `${presenceEl.textContent ?? ''}${unread}`);
  }
  if (!was || now.avatar?.hash !== was.avatar?.hash) {
    avatar.querySelector(':scope > .jsxc-avatar__image')?.remove();
    avatar.classList.remove('jsxc-avatar--image');
    paintAvatar(avatar, contact.jid, now.avatar);
  }
  shown.set(li, now);
}
