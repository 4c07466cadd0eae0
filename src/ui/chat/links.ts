/**
 * Clickable links in message text, safely: candidates are found by pattern, parsed with URL, and
 * only http, https, xmpp and mailto become links (never javascript:, data:, …). Links open in a new
 * tab without access to this page (rel="noopener noreferrer").
 */
const ALLOWED = new Set(['http:', 'https:', 'xmpp:', 'mailto:']);
const CANDIDATE = /\b(?:https?:\/\/|xmpp:|mailto:)[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"»”’]+$/;

/** The safe URL a piece of text names, or undefined. */
export function safeUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return ALLOWED.has(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

function trimCandidate(raw: string): string {
  let text = raw.replace(TRAILING, '');
  // a closing parenthesis belongs to the link only when it opened one: (see https://x.org/a_(b))
  while (text.endsWith(')') && (text.match(/\(/g)?.length ?? 0) < (text.match(/\)/g)?.length ?? 0)) {
    text = text.slice(0, -1).replace(TRAILING, '');
  }
  return text;
}

/** Appends text to `parent`, with links as <a> elements. */
export function appendLinkified(parent: Node, text: string, doc: Document): void {
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = trimCandidate(match[0]);
    const url = safeUrl(candidate);
    if (!url) {
      continue;
    }
    const start = match.index!;
    if (start > last) {
      parent.appendChild(doc.createTextNode(text.slice(last, start)));
    }
    const a = doc.createElement('a');
    a.href = url.href;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
    a.textContent = candidate;
    parent.appendChild(a);
    last = start + candidate.length;
  }
  if (last < text.length) {
    parent.appendChild(doc.createTextNode(text.slice(last)));
  }
}
