import { avatarPlugin } from './avatar';
import { blockingPlugin } from './blocking';
import { bookmarksPlugin } from './bookmarks';
import { carbonsPlugin } from './carbons';
import { chatMarkersPlugin } from './chat-markers';
import { chatPlugin } from './chat';
import { chatStatesPlugin } from './chat-states';
import { correctionPlugin } from './correction';
import { discoPlugin } from './disco';
import { mamPlugin } from './mam';
import { mucPlugin } from './muc';
import { pingPlugin } from './ping';
import { PluginEntry } from './Plugin';
import { receiptsPlugin } from './receipts';
import { stanzaIdPlugin } from './stanza-id';

/**
 * The plugins that ship in the bundle, in the order they attach. A feature is added here and
 * nowhere else; `options.disabledPlugins` takes their ids. 'chat' attaches last: by then every
 * hook is in place, so the outbox it flushes goes through all of them.
 */
export const BUILTIN_PLUGINS: PluginEntry[] = [
  discoPlugin,
  pingPlugin,
  stanzaIdPlugin,
  carbonsPlugin,
  receiptsPlugin,
  chatMarkersPlugin,
  chatStatesPlugin,
  correctionPlugin,
  mamPlugin,
  mucPlugin,
  bookmarksPlugin,
  avatarPlugin,
  blockingPlugin,
  chatPlugin,
];
