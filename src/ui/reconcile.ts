/**
 * Makes the children of `parent` from `from` up to (not including) `until` — by default all of
 * them — exactly `nodes`, moving only what is out of place: a new message at the end costs one
 * insertion, not a rebuild of the whole log.
 */
export function reconcile(parent: HTMLElement, nodes: Node[], from: ChildNode | null = parent.firstChild, until: ChildNode | null = null): void {
  const keep = new Set(nodes);
  let cursor = from;
  let first: ChildNode | null = null;
  while (cursor && cursor !== until) {
    const next = cursor.nextSibling;
    if (!keep.has(cursor)) {
      parent.removeChild(cursor);
    } else if (!first) {
      first = cursor;
    }
    cursor = next;
  }
  cursor = first ?? until;
  for (const node of nodes) {
    if (node === cursor) {
      cursor = cursor.nextSibling;
    } else {
      parent.insertBefore(node, cursor);
    }
  }
  while (cursor && cursor !== until) {
    const next = cursor.nextSibling;
    parent.removeChild(cursor);
    cursor = next;
  }
}
