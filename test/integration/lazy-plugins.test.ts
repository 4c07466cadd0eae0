// Lazy plugins (docs/plugins.md): their code loads on first use — a stanza of their `loadOn`, or a
// call to plugins.load(id) — and is then attached to the running session, with the stanzas that
// made it load handed over, so none is lost or handled twice.
import { $msg } from 'strophe.js';
import { resolveOptions } from '../../src/core/options';
import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { LazyPlugin, Plugin } from '../../src/plugins/Plugin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { freshFriends, getTestServer } from '../helpers/test-server';

const NS = 'urn:example:whiteboard';
const server = getTestServer();
const accounts: Account[] = [];
afterEach(() => Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined))));

function account(jid: string, extra: LazyPlugin[] | PluginRegistry = [], disabledPlugins: string[] = []): Account {
  const plugins = extra instanceof PluginRegistry ? extra : new PluginRegistry([...BUILTIN_PLUGINS, ...extra], disabledPlugins);
  const a = new Account({ url: server.wsUrl, jid: JID.parse(jid), connectTimeout: 10000, options: resolveOptions({ disabledPlugins }), plugins });
  accounts.push(a);
  return a;
}

/** A lazy plugin whose code "arrives" after a delay and records every whiteboard stroke it handles. */
function whiteboard(handled: string[], loads: { count: number }, loadOn = true): LazyPlugin {
  const code: Plugin = {
    id: 'whiteboard',
    name: 'Whiteboard',
    xeps: [],
    attach({ connection, replay }) {
      const take = (stanza: Element) => {
        const stroke = stanza.getElementsByTagNameNS(NS, 'stroke')[0];
        if (stroke) handled.push(stroke.textContent ?? '');
      };
      (replay ?? []).forEach(take);
      return connection.addHandler(take, { name: 'message' });
    },
  };
  return {
    id: 'whiteboard',
    name: 'Whiteboard',
    xeps: [],
    features: [NS],
    ...(loadOn ? { loadOn: [{ name: 'message', ns: NS }] } : {}),
    load: async () => {
      loads.count++;
      await new Promise((r) => setTimeout(r, 300));
      return code;
    },
  };
}

const stroke = (to: string, n: number) => $msg({ to, type: 'chat' }).c('stroke', { xmlns: NS }).t(`stroke ${n}`).tree();

async function until(f: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !f(); i++) await new Promise((r) => setTimeout(r, 25));
}

it('the first stanza of its loadOn loads the code once; every stanza, before and after the load, is handled exactly once', async () => {
  const [me, friend] = await freshFriends(2);
  const handled: string[] = [];
  const loads = { count: 0 };
  const mine = account(me.jid, [whiteboard(handled, loads)]);
  const theirs = account(friend.jid);
  await Promise.all([mine.connect(me.password), theirs.connect(friend.password)]);
  // a plain chat message does not load it
  await theirs.chats.get(me.jid).send('just text');
  await until(() => mine.chats.get(friend.jid).messages.length > 0 || mine.chats.get(friend.jid).unread > 0);
  expect(loads.count).toBe(0);
  // three strokes in a row: the first loads the code, the others arrive while it is loading
  for (let i = 1; i <= 3; i++) theirs.xmpp.send(stroke(mine.fullJid, i));
  await until(() => handled.length >= 3);
  for (let i = 4; i <= 5; i++) theirs.xmpp.send(stroke(mine.fullJid, i));
  await until(() => handled.length >= 5);
  await new Promise((r) => setTimeout(r, 300));
  expect(handled).toEqual(['stroke 1', 'stroke 2', 'stroke 3', 'stroke 4', 'stroke 5']);
  expect(loads.count).toBe(1);
});

it('loaded by the UI during a session (plugins.load), it is attached to that session and to the next', async () => {
  const [me, friend] = await freshFriends(2);
  const handled: string[] = [];
  const loads = { count: 0 };
  const mine = account(me.jid, [whiteboard(handled, loads, false)]);
  const theirs = account(friend.jid);
  await Promise.all([mine.connect(me.password), theirs.connect(friend.password)]);
  theirs.xmpp.send(stroke(mine.fullJid, 1)); // not loaded, no loadOn: nobody handles it
  await new Promise((r) => setTimeout(r, 500));
  await mine.plugins.load('whiteboard');
  theirs.xmpp.send(stroke(mine.fullJid, 2));
  await until(() => handled.length >= 1);
  expect(handled).toEqual(['stroke 2']);
  // a new session of this JSXC instance (same registry): attached at once, no second load
  await mine.disconnect();
  const again = account(me.jid, mine.plugins);
  await again.connect(me.password);
  theirs.xmpp.send(stroke(again.fullJid, 3));
  await until(() => handled.length >= 2);
  expect(handled).toEqual(['stroke 2', 'stroke 3']);
  expect(loads.count).toBe(1);
});

it('a disabled lazy plugin is never loaded, whatever arrives', async () => {
  const [me, friend] = await freshFriends(2);
  const handled: string[] = [];
  const loads = { count: 0 };
  const mine = account(me.jid, [whiteboard(handled, loads)], ['whiteboard']);
  const theirs = account(friend.jid);
  await Promise.all([mine.connect(me.password), theirs.connect(friend.password)]);
  theirs.xmpp.send(stroke(mine.fullJid, 1));
  await new Promise((r) => setTimeout(r, 500));
  expect(loads.count).toBe(0);
  expect(handled).toEqual([]);
  await expect(mine.plugins.load('whiteboard')).rejects.toThrow('Plugin "whiteboard" is disabled or unknown');
});
