import { Translate } from '../../i18n';
import { Contact } from '../../model/Contact';
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

/**
 * One contact's `listitem` (ui-contract: starts with the display name, presence in its text), built
 * with DOM APIs: everything the remote party chose (name, status) goes in as textContent.
 * Structure and classes: li.jsxc-contact > .jsxc-avatar, .jsxc-contact__text (.jsxc-contact__name,
 * .jsxc-contact__presence), optional .jsxc-badge (unread), button.jsxc-contact__actions.
 */
export function buildContactRow(contact: Contact, texts: RowTexts): HTMLLIElement {
  const li = skeleton();
  const name = contact.displayName;
  li.dataset.jid = contact.jid;
  li.dataset.presence = contact.presence;
  li.dataset.blocked = String(contact.blocked);
  li.setAttribute('aria-label', name);
  const [avatar, text, actions] = Array.from(li.children) as HTMLElement[];
  avatar.firstElementChild!.textContent = initials(name);
  const [nameEl, presenceEl] = Array.from(text.children) as HTMLElement[];
  nameEl.textContent = name;
  presenceEl.append(texts.presenceText(contact.presence));
  if (contact.blocked) {
    presenceEl.append(', ', span('jsxc-contact__blocked', texts.blocked));
  }
  if (contact.pendingOut) {
    presenceEl.append(`, ${texts.pending}`);
  }
  if (contact.statusText) {
    presenceEl.append(' – ', span('jsxc-contact__status', contact.statusText));
  }
  if (contact.unreadCount > 0) {
    const badge = span('jsxc-badge', String(contact.unreadCount));
    badge.append(span('jsxc-visually-hidden', ` ${texts.unread}`));
    li.insertBefore(badge, actions);
  }
  // the name alone names the item; what a sighted user also sees (presence, status, unread count)
  // is its description, so a screen reader reads it too (an aria-label hides the item's text)
  const unread = contact.unreadCount > 0 ? `, ${contact.unreadCount} ${texts.unread}` : '';
  li.setAttribute('aria-description', `${presenceEl.textContent ?? ''}${unread}`);
  actions.setAttribute('aria-label', texts.actionsFor(name));
  paintAvatar(avatar, contact.jid, contact.avatar);
  return li;
}
