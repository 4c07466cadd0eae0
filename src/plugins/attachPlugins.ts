import { loadSessionCode } from '../core/sessionCode';
import { attachLazyPlugin } from './lazyAttach';
import { AccountContext, isLazy, Plugin } from './Plugin';

/**
 * Attaches every enabled plugin to a session (`context`): the loaded ones now, lazy ones when
 * their code is loaded. Each teardown (and each lazy plugin's waiting) goes into `detach`, which
 * the account empties when the stream ends. Side by side: each plugin's synchronous part (handlers,
 * hooks) runs in registration order before this returns its promise; the queries some make
 * (carbons, blocklist) then travel together instead of one after another. A plugin that fails to
 * attach is logged and left out.
 *
 * Some built-in plugins' code (group chat) is in the "session" chunk (src/core/sessionCode.ts),
 * asked for when the account was made: it is normally here long before a stream is, and then
 * nothing waits. Otherwise the plugins attach once it has arrived (messages that come meanwhile are
 * kept by the connection, as during the roster cache read); if it cannot be loaded, the plugins
 * that need it fail to attach (logged) and the session goes on without them.
 */
export async function attachPlugins(context: AccountContext, detach: Array<() => void>): Promise<void> {
  if (!loadSessionCode.loaded) {
    await loadSessionCode().catch((err: unknown) => console.error('[jsxc] the code for group chat and several tabs (chunk "session") could not be loaded:', err));
  }
  const attachOne = async (plugin: Plugin, ctx: AccountContext): Promise<void> => {
    if (!plugin.attach) {
      return;
    }
    try {
      const teardown = await plugin.attach(ctx);
      if (typeof teardown === 'function') {
        detach.push(teardown);
      }
    } catch (err) {
      console.error(`[jsxc] plugin "${plugin.id}" failed to attach:`, err);
    }
  };
  const attaching: Array<Promise<void>> = [];
  for (const entry of context.plugins.enabled()) {
    if (isLazy(entry)) {
      detach.push(attachLazyPlugin(entry, context, attachOne));
    } else {
      attaching.push(attachOne(entry, context));
    }
  }
  await Promise.all(attaching);
}
