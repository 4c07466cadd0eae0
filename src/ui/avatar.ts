import { AvatarImage } from '../model/Contact';
import { ALLOWED_IMAGE_TYPES } from '../plugins/avatar/image';
import { consistentHue } from './consistentColor';

const urls = new Map<string, string>();
const hues = new Map<string, number>();

/** Up to two initials of a display name ("Ada Lovelace" → "AL"), by characters, not UTF-16 units. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => w !== '');
  const first = (w: string | undefined) => (w ? Array.from(w)[0].toLocaleUpperCase() : '');
  return (first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : '')) || '?';
}

/**
 * Fills an avatar element: the image when there is one (a blob: URL made from the checked bytes,
 * never a URL from the remote party), else initials on the XEP-0392 colour of the JID. The hue
 * is set through CSSOM (CSP: no style attributes).
 */
export function paintAvatar(element: HTMLElement, jid: string, avatar: AvatarImage | undefined): void {
  let hue = hues.get(jid);
  if (hue === undefined) {
    hue = consistentHue(jid);
    hues.set(jid, hue);
  }
  element.style.setProperty('--jsxc-avatar-hue', hue.toFixed(2));
  if (!avatar || !(ALLOWED_IMAGE_TYPES as readonly string[]).includes(avatar.type)) {
    return;
  }
  let url = urls.get(avatar.hash);
  if (!url) {
    url = URL.createObjectURL(new Blob([avatar.data as BlobPart], { type: avatar.type }));
    urls.set(avatar.hash, url);
  }
  const img = document.createElement('img');
  img.className = 'jsxc-avatar__image';
  img.alt = '';
  img.src = url;
  element.classList.add('jsxc-avatar--image');
  element.appendChild(img);
}
