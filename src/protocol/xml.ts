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
