import { Account } from '../../src/model/Account';
import { BlockingService } from '../../src/plugins/blocking';
import { collectMessages, NodeParties, publishPepAvatar, publishVCardAvatar, sendChat, until } from '../helpers/xmpp-node';
import { sha1Hex, solidPng } from '../helpers/png';
import { freshFriends, freshUser, TestUser } from '../helpers/test-server';

// Roster editing, subscriptions, blocking, presence and avatars: two real parties against Prosody.
const parties = new NodeParties();
const online = (user: TestUser) => parties.online(user);
const accounts: Account[] = [];

afterEach(async () => {
  await parties.disconnectAll();
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

describe('adding a contact and subscriptions', () => {
  it('add sends a roster set and a subscription request; Accept subscribes back; both end with "both"', async () => {
    const [alice, bob] = [await freshUser('alice'), await freshUser('bob')];
    const a = await online(alice);
    const b = await online(bob);
    await a.addContact({ jid: bob.jid, name: 'Bob <b>', groups: ['Work', ' Work ', ''] });
    const added = await until('bob in alice roster', () => a.roster.get(bob.jid));
    expect(added.name).toBe('Bob <b>');
    expect(added.groups).toEqual(['Work']);
    await until('the request pending', () => a.roster.get(bob.jid)?.pendingOut);

    const request = await until('bob sees the request', () => b.roster.requests().find((r) => r.jid === alice.jid));
    expect(request.jid).toBe(alice.jid);
    b.answerSubscription(alice.jid, true);
    expect(b.roster.requests()).toEqual([]);
    // bob asked back: alice gets a request, and accepting it makes the subscription mutual
    await until('alice sees bob subscribe back', () => a.roster.requests().some((r) => r.jid === bob.jid));
    a.answerSubscription(bob.jid, true);
    await until('alice: both', () => a.roster.get(bob.jid)?.subscription === 'both');
    await until('bob: both', () => b.roster.get(alice.jid)?.subscription === 'both');
    // and presence flows both ways now
    await until('alice sees bob online', () => a.roster.get(bob.jid)?.presence === 'online');
  });

  it('Decline answers "unsubscribed": the requester stays without subscription', async () => {
    const [alice, bob] = [await freshUser('alice'), await freshUser('bob')];
    const a = await online(alice);
    const b = await online(bob);
    await a.addContact({ jid: bob.jid, groups: [] });
    await until('bob sees the request', () => b.roster.requests().length === 1);
    b.answerSubscription(alice.jid, false);
    await until('alice no longer pending', () => a.roster.get(bob.jid) && !a.roster.get(bob.jid)!.pendingOut);
    expect(a.roster.get(bob.jid)!.subscription).toBe('none');
    expect(b.roster.get(alice.jid)?.subscription ?? 'none').toBe('none');
  });

  it('a request withdrawn by the requester disappears', async () => {
    const [alice, bob] = [await freshUser('alice'), await freshUser('bob')];
    const a = await online(alice);
    const b = await online(bob);
    await a.addContact({ jid: bob.jid, groups: [] });
    await until('bob sees the request', () => b.roster.requests().length === 1);
    await a.removeContact(bob.jid);
    await until('the request is gone', () => b.roster.requests().length === 0);
  });
});

describe('editing the roster', () => {
  it('renames, changes groups and removes a contact', async () => {
    const [me, friend] = await freshFriends(2);
    const a = await online(me);
    await a.updateContact({ jid: friend.jid, name: 'Renamed', groups: ['Family', 'Friends'] });
    await until('renamed', () => a.roster.get(friend.jid)?.name === 'Renamed');
    expect(a.roster.get(friend.jid)!.groups.sort()).toEqual(['Family', 'Friends']);
    expect(a.roster.groups()).toEqual(['Family', 'Friends']);
    await a.updateContact({ jid: friend.jid, name: '', groups: [] });
    await until('name cleared', () => a.roster.get(friend.jid)?.name === undefined);
    expect(a.roster.get(friend.jid)!.groups).toEqual([]);
    await a.removeContact(friend.jid);
    await until('removed', () => !a.roster.get(friend.jid));
    await expect(a.updateContact({ jid: 'not a jid', groups: [] })).rejects.toThrow(/not a jid/);
  });
});

describe('own presence', () => {
  it('setPresence shows our availability and status text to contacts, is kept for the next login; offline ends the session', async () => {
    const [me, friend] = await freshFriends(2);
    const watcher = await online(friend);
    const a = await online(me);
    await until('friend sees me online', () => watcher.roster.get(me.jid)?.presence === 'online');
    await a.setPresence('dnd', 'In a meeting');
    await until('friend sees dnd', () => watcher.roster.get(me.jid)?.presence === 'dnd');
    expect(watcher.roster.get(me.jid)!.statusText).toBe('In a meeting');
    // the choice is kept for the next login of the account
    await a.setPresence('xa', 'On holiday');
    await a.disconnect();
    await until('friend sees me go', () => watcher.roster.get(me.jid)?.presence === 'offline');
    await a.connect(me.password);
    await until('friend sees xa again', () => watcher.roster.get(me.jid)?.presence === 'xa');
    expect(watcher.roster.get(me.jid)!.statusText).toBe('On holiday');
    await a.setPresence('offline');
    await until('friend sees me offline', () => watcher.roster.get(me.jid)?.presence === 'offline');
    expect(a.isOnline).toBe(false);
    await expect(a.setPresence('busy' as 'away')).rejects.toThrow(/show must be one of/);
  });
});

describe('blocking (XEP-0191)', () => {
  it('blocks: the blocked party messages and presence no longer arrive; unblock restores them', async () => {
    const [me, pest] = await freshFriends(2);
    const a = await online(me);
    const p = await online(pest);
    const blocking = await until('blocking service', () => a.service<BlockingService>('blocking'));
    await until('pest online', () => a.roster.get(pest.jid)?.presence === 'online');
    const inbox = collectMessages(a);

    await blocking.block(pest.jid);
    expect(a.roster.get(pest.jid)!.blocked).toBe(true);
    expect(blocking.list()).toEqual([pest.jid]);
    // the blocked party sees us go offline
    await until('pest sees me offline', () => p.roster.get(me.jid)?.presence === 'offline');
    sendChat(p, me.jid, 'while blocked');
    await p.setPresence('away', 'should not arrive');
    await new Promise((r) => setTimeout(r, 500));
    expect(inbox).toEqual([]);
    expect(a.roster.get(pest.jid)!.statusText).not.toBe('should not arrive');

    await blocking.unblock(pest.jid);
    expect(a.roster.get(pest.jid)!.blocked).toBe(false);
    sendChat(p, me.jid, 'after unblock');
    await until('message arrives', () => inbox.includes('after unblock'));
    expect(inbox).toEqual(['after unblock']);
  });

  it('a block made by another session of ours arrives as a push', async () => {
    const [me, other] = await freshFriends(2);
    const first = await online(me);
    const second = await online(me);
    const s1 = await until('service 1', () => first.service<BlockingService>('blocking'));
    const s2 = await until('service 2', () => second.service<BlockingService>('blocking'));
    await s1.block(other.jid);
    await until('pushed to the second session', () => s2.isBlocked(other.jid) && second.roster.get(other.jid)?.blocked);
    await s2.unblock(other.jid);
    await until('unblock pushed back', () => !s1.isBlocked(other.jid));
  });

  it('without the plugin there is no service', async () => {
    const [me] = await freshFriends(1);
    const { resolveOptions } = await import('../../src/core/options');
    const { PluginRegistry } = await import('../../src/plugins/PluginRegistry');
    const { BUILTIN_PLUGINS } = await import('../../src/plugins/builtin');
    const { JID } = await import('../../src/model/JID');
    const { getTestServer } = await import('../helpers/test-server');
    const options = resolveOptions({ disabledPlugins: ['blocking'] });
    const account = new Account({ url: getTestServer().wsUrl, jid: JID.parse(me.jid), connectTimeout: 10000, options, plugins: new PluginRegistry(BUILTIN_PLUGINS, ['blocking']) });
    accounts.push(account);
    await account.connect(me.password);
    expect(account.service('blocking')).toBeUndefined();
  });
});

describe('avatars', () => {
  it('from a vCard (XEP-0153): the hash in presence leads to the checked image', async () => {
    const [me, friend] = await freshFriends(2);
    const f = await online(friend);
    const image = solidPng(8, [200, 30, 30]);
    const hash = sha1Hex(image);
    const a = await online(me);
    await publishVCardAvatar(f, image, hash);
    const avatar = await until('avatar arrives', () => a.roster.get(friend.jid)?.avatar);
    expect(avatar.hash).toBe(hash);
    expect(avatar.type).toBe('image/png');
    expect(Buffer.from(avatar.data).equals(image)).toBe(true);
  });

  it('from PEP (XEP-0084): metadata notification, then the data item', async () => {
    const [me, friend] = await freshFriends(2);
    const a = await online(me);
    const f = await online(friend);
    const image = solidPng(8, [30, 30, 200]);
    const hash = sha1Hex(image);
    await publishPepAvatar(f, image, hash);
    const avatar = await until('avatar arrives', () => a.roster.get(friend.jid)?.avatar?.hash === hash && a.roster.get(friend.jid)!.avatar);
    expect(Buffer.from(avatar.data).equals(image)).toBe(true);
  });

  it('a PEP avatar published before we log in arrives, and an empty vCard photo in presence does not hide it', async () => {
    const [me, friend] = await freshFriends(2);
    const f = await online(friend);
    const image = solidPng(8, [30, 200, 30]);
    const hash = sha1Hex(image);
    await publishPepAvatar(f, image, hash);
    const a = await online(me);
    await until('avatar arrives', () => a.roster.get(friend.jid)?.avatar?.hash === hash);
    await until('friend online', () => a.roster.get(friend.jid)?.presence === 'online');
    await new Promise((r) => setTimeout(r, 200));
    expect(a.roster.get(friend.jid)!.avatar?.hash).toBe(hash);
  });

  it('refuses an SVG, and an image whose hash does not match', async () => {
    const [me, friend] = await freshFriends(2);
    const a = await online(me);
    const f = await online(friend);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await publishPepAvatar(f, svg, sha1Hex(svg), 'image/svg+xml');
      await until('refusal logged', () => warn.mock.calls.some((c) => String(c[0]).includes('not a PNG')));
      const png = solidPng(4, [1, 2, 3]);
      await publishPepAvatar(f, png, sha1Hex('something else'));
      await until('mismatch logged', () => warn.mock.calls.some((c) => String(c[0]).includes('SHA-1')));
    } finally {
      warn.mockRestore();
    }
    expect(a.roster.get(friend.jid)!.avatar).toBeUndefined();
  });
});
