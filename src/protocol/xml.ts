/** Small helpers for reading stanzas without a DOM library (works on xmldom in Node too). */

export function childElements(parent: Element, localName?: string, ns?: string): Element[] {
  const out: Element[] = [];
  for (const node of Array.from(parent.childNodes)) {
    if (node.nodeType !== 1) {
      continue;
    }
    const el = node as Element;
    if ((localName === undefined || el.localName === localName) && (ns === undefined || el.namespaceURI === ns)) {
      out.push(el);
    }
  }
  return out;
}

export function firstChild(parent: Element, localName: string, ns?: string): Element | undefined {
  return childElements(parent, localName, ns)[0];
}

export function childText(parent: Element, localName: string, ns?: string): string | undefined {
  const el = firstChild(parent, localName, ns);
  return el ? (el.textContent ?? '') : undefined;
}

/**
 * Appends a child element to a stanza being built. The namespace goes in as an `xmlns` attribute,
 * which is how strophe's serializer writes namespaces.
 */
export function appendChild(parent: Element, name: string, attrs: Record<string, string> = {}, text?: string): Element {
  const el = parent.ownerDocument.createElement(name);
  for (const [key, value] of Object.entries(attrs)) {
    el.setAttribute(key, value);
  }
  if (text !== undefined) {
    el.appendChild(parent.ownerDocument.createTextNode(text));
  }
  parent.appendChild(el);
  return el;
}
