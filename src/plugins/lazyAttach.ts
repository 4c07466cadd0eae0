import type { AccountContext, LazyPlugin, Plugin } from './Plugin';

/** Runs a loaded plugin's attach for a session; returns its teardown (if any). */
export type AttachOne = (plugin: Plugin, context: AccountContext) => Promise<void>;

/**
 * Joins a lazy plugin to one session of an account. Its code may already be loaded (attach now),
 * be loaded later by something else (a button: `plugins.load(id)` — attach then), or be needed by
 * a stanza of its `loadOn` (load it, then attach with that stanza and any that arrived meanwhile
 * in `context.replay`). Returns the remover of what it set up for this session.
 */
export function attachLazyPlugin(entry: LazyPlugin, context: AccountContext, attachOne: AttachOne): () => void {
  const { plugins, connection } = context;
  const loaded = plugins.loadedPlugin(entry.id);
  if (loaded) {
    void attachOne(loaded, context);
    return () => undefined;
  }
  const waiting: Element[] = [];
  const triggers: Array<() => void> = [];
  const stopTriggers = () => triggers.splice(0).forEach((off) => off());
  const offLoad = plugins.onLoad((id, plugin) => {
    if (id !== entry.id) {
      return;
    }
    offLoad();
    stopTriggers();
    void attachOne(plugin, waiting.length > 0 ? { ...context, replay: waiting.splice(0) } : context);
  });
  for (const match of entry.loadOn ?? []) {
    triggers.push(
      connection.addHandler(
        (stanza) => {
          if (match.ns && !matchesNamespace(stanza, match.ns)) {
            return;
          }
          waiting.push(stanza);
          plugins.load(entry.id).catch((err) => {
            console.error(`[jsxc] plugin "${entry.id}" could not be loaded; ${waiting.length} stanza(s) for it are dropped:`, err);
            waiting.splice(0);
          });
        },
        { name: match.name, ...(match.type ? { type: match.type } : {}) },
      ),
    );
  }
  return () => {
    offLoad();
    stopTriggers();
  };
}

/** The stanza or one of its children is in this namespace (strophe's own ns match, done here). */
function matchesNamespace(stanza: Element, ns: string): boolean {
  if (stanza.getAttribute('xmlns') === ns || stanza.namespaceURI === ns) {
    return true;
  }
  return Array.from(stanza.children).some((child) => child.namespaceURI === ns || child.getAttribute('xmlns') === ns);
}
