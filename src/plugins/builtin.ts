import { bookmarksPlugin } from './bookmarks';
import { discoPlugin } from './disco';
import { mucPlugin } from './muc';
import { pingPlugin } from './ping';
import { PluginEntry } from './Plugin';

/**
 * The plugins that ship in the bundle, in the order they attach. A feature is added here and
 * nowhere else; `options.disabledPlugins` takes their ids.
 */
export const BUILTIN_PLUGINS: PluginEntry[] = [discoPlugin, pingPlugin, mucPlugin, bookmarksPlugin];
