import { $iq, Strophe } from 'strophe.js';
import { resolveOptions } from '../../src/core/options';
import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { NS_CAPS, NS_DISCO_INFO } from '../../src/plugins/disco';
import { capsHash } from '../../src/plugins/disco/caps';
import { NS_PING } from '../../src/plugins/ping';
import { Plugin } from '../../src/plugins/Plugin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { freshFriends, getTestServer } from '../helpers/test-server';

const server = getTestServer();
const accounts: Account[] = [];

function account(jid: string, disabledPlugins: string[] = [], extra: Plugin[] = []): Account {
  const options = resolveOptions({ disabledPlugins });
  const a = new Account({ url: server.wsUrl, jid: JID.parse(jid), connectTimeout: 10000, options, plugins: new PluginRegistry([...BUILTIN_PLUGINS, ...extra], disabledPlugins) });
  accounts.push(a);
  return a;
}

afterEach(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

async function features(asker: Account, target: string, node?: string): Promise<string[]> {
  const result = await asker.xmpp.sendIQ($iq({ type: 'get', to: target }).c('query', { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) }));
  return Array.from(result.getElementsByTagName('feature')).map((f) => f.getAttribute('var')!);
}

it('answers disco#info with the enabled plugins features, and a caps hash in presence that matches them', async () => {
  const [me, friend] = await freshFriends(2);
  const mine = account(me.jid);
  const theirs = account(friend.jid);
  let caps: Element | undefined;
  await theirs.connect(friend.password);
  theirs.xmpp.addHandler(
    (p) => {
      if (p.getAttribute('from')?.startsWith(me.jid)) caps = p.getElementsByTagNameNS(NS_CAPS, 'c')[0] ?? caps;
    },
    { name: 'presence' },
  );
  await mine.connect(me.password);
  const list = await features(theirs, mine.fullJid);
  expect(list).toEqual(expect.arrayContaining([NS_DISCO_INFO, NS_CAPS, NS_PING]));
  for (let i = 0; i < 50 && !caps; i++) await new Promise((r) => setTimeout(r, 20));
  expect(caps).toBeDefined();
  const ver = caps!.getAttribute('ver')!;
  expect(ver).toBe(await capsHash([{ category: 'client', type: 'web', name: 'JSXC (web applications)' }], list));
  // the caps node answers too
  expect(await features(theirs, mine.fullJid, `${caps!.getAttribute('node')}#${ver}`)).toEqual(list);
});

it('disabledPlugins removes a plugin whole: its feature, its handler; unhandled requests get service-unavailable', async () => {
  const [me, friend] = await freshFriends(2);
  const mine = account(me.jid, ['ping']);
  const theirs = account(friend.jid);
  await Promise.all([mine.connect(me.password), theirs.connect(friend.password)]);
  expect(await features(theirs, mine.fullJid)).not.toContain(NS_PING);
  const error = await theirs.xmpp.sendIQ($iq({ type: 'get', to: mine.fullJid }).c('ping', { xmlns: NS_PING }), 5000).catch((e) => e);
  expect(error.condition).toBe('service-unavailable');
  // with ping on, the same request is answered
  const pinged = await mine.xmpp.sendIQ($iq({ type: 'get', to: theirs.fullJid }).c('ping', { xmlns: NS_PING }), 5000);
  expect(pinged.getAttribute('type')).toBe('result');
});

it('a third-party plugin attaches per session, announces its feature, and is removed by disabledPlugins', async () => {
  const [me, friend] = await freshFriends(2);
  const seen: string[] = [];
  const plugin: Plugin = {
    id: 'hello',
    name: 'Hello',
    xeps: [],
    features: ['urn:example:hello'],
    attach({ connection, account: acc }) {
      seen.push(acc.uid);
      return connection.addHandler((iq) => connection.send($iq({ type: 'result', to: iq.getAttribute('from')!, id: iq.getAttribute('id')! })), { ns: 'urn:example:hello', name: 'iq', type: 'get' });
    },
  };
  const mine = account(me.jid, [], [plugin]);
  const theirs = account(friend.jid, ['hello'], [plugin]);
  await Promise.all([mine.connect(me.password), theirs.connect(friend.password)]);
  expect(seen).toEqual([me.jid]);
  expect(await features(theirs, mine.fullJid)).toContain('urn:example:hello');
  expect(await features(mine, theirs.fullJid)).not.toContain('urn:example:hello');
  expect(Strophe.Status.CONNECTED).toBe(5);
});
