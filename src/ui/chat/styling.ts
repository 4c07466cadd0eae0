import { appendLinkified } from './links';

/**
 * XEP-0393 message styling, rendered to DOM nodes with createElement/textContent only (never
 * innerHTML): *strong*, _emphasis_, ~strike~, `code`, ```preformatted blocks``` and > quotes.
 * The directives stay visible (dimmed), so the text of a message is exactly its body. Bodies
 * longer than STYLE_LIMIT are shown as plain text (styling costs time; nobody styles a novel).
 */
export const STYLE_LIMIT = 20000;

/** Quotes nest this deep at most; deeper ">" are text (a wall of ">" must not exhaust the stack). */
const MAX_QUOTE_DEPTH = 8;

const SPANS: Record<string, string> = { '*': 'strong', _: 'em', '~': 's', '`': 'code' };

// C0/C1 controls other than tab and line feed would only garble the view
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function cleanText(text: string): string {
  return text.replace(CONTROLS, '\ufffd');
}

function isSpace(ch: string | undefined): boolean {
  return ch === undefined || /\s/.test(ch);
}

function directive(doc: Document, ch: string): HTMLElement {
  const el = doc.createElement('span');
  el.className = 'jsxc-styling-directive';
  el.textContent = ch;
  return el;
}

/**
 * For each directive character, the next position from i on where it could close a span (not
 * preceded by whitespace): one backward pass per character, so finding a closing is O(1) and a
 * line of thousands of unmatched directives stays linear.
 */
function closingTable(text: string, ch: string): Int32Array {
  const next = new Int32Array(text.length + 1).fill(-1);
  for (let j = text.length - 1; j >= 0; j--) {
    next[j] = text[j] === ch && !isSpace(text[j - 1]) ? j : next[j + 1];
  }
  return next;
}

/** Span styling within one line (§5.2). */
export function appendSpans(parent: Node, text: string, doc: Document): void {
  const tables: Record<string, Int32Array> = {};
  let plainStart = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const tag = SPANS[ch];
    if (tag && isSpace(text[i - 1]) && !isSpace(text[i + 1]) && text[i + 1] !== ch) {
      // the first closing directive not preceded by whitespace
      const j = i + 2 <= text.length ? (tables[ch] ??= closingTable(text, ch))[i + 2] : -1;
      if (j !== -1) {
        if (i > plainStart) {
          appendLinkified(parent, text.slice(plainStart, i), doc);
        }
        const el = doc.createElement(tag);
        el.appendChild(directive(doc, ch));
        const inner = text.slice(i + 1, j);
        if (tag === 'code') {
          el.appendChild(doc.createTextNode(inner));
        } else {
          appendSpans(el, inner, doc);
        }
        el.appendChild(directive(doc, ch));
        parent.appendChild(el);
        i = j + 1;
        plainStart = i;
        continue;
      }
    }
    i++;
  }
  if (plainStart < text.length) {
    appendLinkified(parent, text.slice(plainStart), doc);
  }
}

/** Block styling (§5.1): preformatted blocks, quotes (nested), and lines with span styling. */
function appendBlocks(parent: Node, lines: string[], doc: Document, depth = 0): void {
  let i = 0;
  let firstLine = true;
  const newline = () => {
    if (!firstLine) {
      parent.appendChild(doc.createTextNode('\n'));
    }
    firstLine = false;
  };
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith('```')) {
      let end = i + 1;
      while (end < lines.length && lines[end] !== '```') {
        end++;
      }
      newline();
      const pre = doc.createElement('pre');
      pre.appendChild(directive(doc, line + '\n'));
      pre.appendChild(doc.createTextNode(lines.slice(i + 1, end).join('\n')));
      if (end < lines.length) {
        pre.appendChild(directive(doc, '\n```'));
      }
      parent.appendChild(pre);
      i = end + 1;
      continue;
    }
    if (line.startsWith('>') && depth < MAX_QUOTE_DEPTH) {
      let end = i;
      while (end < lines.length && lines[end].startsWith('>')) {
        end++;
      }
      newline();
      const quote = doc.createElement('blockquote');
      const inner = lines.slice(i, end).map((l) => l.replace(/^> ?/, ''));
      quote.appendChild(directive(doc, '> '));
      appendBlocks(quote, inner, doc, depth + 1);
      parent.appendChild(quote);
      i = end;
      continue;
    }
    newline();
    appendSpans(parent, line, doc);
    i++;
  }
}

/** The body of a message as DOM nodes, into `parent`. */
export function renderBody(parent: HTMLElement, body: string, doc: Document = parent.ownerDocument): void {
  const text = cleanText(body);
  if (text.length > STYLE_LIMIT) {
    parent.appendChild(doc.createTextNode(text));
    return;
  }
  appendBlocks(parent, text.split('\n'), doc);
}

/** XEP-0245: a body starting with "/me " is an action of its sender. */
export function meAction(body: string): string | undefined {
  return body.startsWith('/me ') ? body.slice(4) : undefined;
}
