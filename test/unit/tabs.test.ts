import { isTabMessage, TabMessage } from '../../src/core/tabs/messages';
import { applyRosterSnapshot, snapshotRoster } from '../../src/core/tabs/rosterSnapshot';
import { Chats } from '../../src/model/Chats';
import { HistoryChange } from '../../src/model/ChatHistory';
import { MemoryStore } from '../../src/model/HistoryStore';
import { Message } from '../../src/model/Message';
import { Roster } from '../../src/model/Roster';

// Several tabs (docs/session.md): the message protocol between tabs, the roster a follower tab
// mirrors, and how a follower shows messages another tab stored — each once.

const message = (id: string, over: Partial<Message> = {}): Message => ({ id, peer: 'bob@example.org', direction: 'in', from: 'bob@example.org/phone', to: 'me@example.org/web', body: `text ${id}`, timestamp: 1700000000000 + Number(id.replace(/\D/g, '') || 0), type: 'chat', ...over });

describe('tab messages', () => {
  it('accepts well-formed messages of each kind', () => {
    const good: TabMessage[] = [
      { type: 'hello' },
      { type: 'state', state: { kind: 'online' }, presence: { show: 'away', status: 'lunch' } },
      { type: 'snapshot', state: { kind: 'connecting' }, presence: { show: 'online', status: '' }, roster: { loaded: false, contacts: [], requests: [] } },
      { type: 'stored', op: 'add', message: message('m1'), older: false },
      { type: 'request', id: 'r1', intent: { kind: 'setPresence', show: 'dnd', status: '' } },
      { type: 'result', id: 'r1', error: 'not online' },
      { type: 'loggedOut' },
      { type: 'handlers', tab: 't1', handlers: [{ id: '0', match: { name: 'message', ns: 'urn:example:x', type: ['chat', 'normal'] } }, { id: '1', match: {} }] },
      { type: 'handled', tab: 't1', id: '0', xml: '<message xmlns="jabber:client"/>' },
    ];
    expect(good.filter((m) => !isTabMessage(m))).toEqual([]);
  });

  it('ignores what is not ours or is malformed', () => {
    const bad: unknown[] = [
      null,
      'hello',
      { type: 'shutdown' },
      { type: 'stored', op: 'add', older: false },
      { type: 'stored', op: 'delete', message: message('m1'), older: false },
      { type: 'stored', op: 'add', message: { ...message('m1'), body: 42 }, older: false },
      { type: 'state', state: { kind: 'online' } },
      { type: 'roster', roster: { loaded: true, contacts: [{ item: {} }], requests: [] } },
      { type: 'request', id: 'r1' },
      { type: 'result', id: 7 },
      { type: 'handlers', tab: 't1' },
      { type: 'handlers', tab: 't1', handlers: [{ id: '0' }] },
      { type: 'handlers', tab: 't1', handlers: [{ id: '0', match: { name: 7 } }] },
      { type: 'handlers', tab: 't1', handlers: [{ id: '0', match: { type: ['chat', 1] } }] },
      { type: 'handled', tab: 't1', id: '0' },
    ];
    expect(bad.filter((m) => isTabMessage(m))).toEqual([]);
  });
});

describe('a follower tab mirrors the roster', () => {
  function leaderRoster(): Roster {
    const roster = new Roster();
    roster.reset(
      [
        { jid: 'bob@example.org', name: 'Bob', groups: ['Friends'], subscription: 'both' },
        { jid: 'carol@example.org', groups: [], subscription: 'to' },
      ],
      'v1',
    );
    roster.get('bob@example.org')!.setResourcePresence('phone', { show: 'away', status: 'out', priority: 0 });
    roster.addRequest({ jid: 'dave@example.org', nick: 'Dave' });
    return roster;
  }

  it('takes items, presence and requests', () => {
    const follower = new Roster();
    applyRosterSnapshot(follower, snapshotRoster(leaderRoster()));
    expect(follower.items()).toEqual(leaderRoster().items());
    expect(follower.version).toBe('v1');
    expect(follower.get('bob@example.org')!.presence).toBe('away');
    expect(follower.get('carol@example.org')!.presence).toBe('offline');
    expect(follower.requests()).toEqual([{ jid: 'dave@example.org', nick: 'Dave' }]);
  });

  it('then changes only what differs, without replacing the whole list', () => {
    const leader = leaderRoster();
    const follower = new Roster();
    applyRosterSnapshot(follower, snapshotRoster(leader));
    const events: string[] = [];
    follower.on('reset', () => events.push('reset'));
    follower.on('removed', (c) => events.push(`removed ${c.jid}`));
    follower.on('added', (c) => events.push(`added ${c.jid}`));

    leader.apply({ jid: 'carol@example.org', groups: [], subscription: 'remove' });
    leader.apply({ jid: 'erin@example.org', groups: [], subscription: 'none' });
    leader.get('bob@example.org')!.setResourcePresence('phone', undefined);
    leader.removeRequest('dave@example.org');
    applyRosterSnapshot(follower, snapshotRoster(leader));

    expect(events).toEqual(['removed carol@example.org', 'added erin@example.org']);
    expect(follower.get('bob@example.org')!.presence).toBe('offline');
    expect(follower.requests()).toEqual([]);
  });

  it('keeps its cached list while the leader has no roster yet', () => {
    const follower = leaderRoster();
    applyRosterSnapshot(follower, { loaded: false, contacts: [], requests: [] });
    expect(follower.size).toBe(2);
  });
});

describe('messages stored by another tab', () => {
  it('the history tells each write once: new messages, changes, outbox entries', async () => {
    const chats = new Chats(() => 'me@example.org/web', 'me@example.org', new MemoryStore());
    const history = await chats.history();
    const seen: HistoryChange['op'][] = [];
    history.observe((c) => seen.push(c.op));
    await history.add(message('m1'));
    await history.add(message('m1')); // a duplicate: not stored, not told
    await history.update({ ...message('m1'), body: 'changed' });
    await history.enqueue({ peer: 'bob@example.org', id: 'm1' });
    expect(seen).toEqual(['add', 'update', 'outbox']);
  });

  it('show once in a follower, count once as unread, and take later delivery states', async () => {
    const store = new MemoryStore();
    const chats = new Chats(() => 'me@example.org/web', 'me@example.org', store);
    const chat = chats.get('bob@example.org');
    await chat.open();
    const added: string[] = [];
    chat.on('added', (ms) => added.push(...ms.map((m) => m.id)));

    expect(await chat.mirror(message('m1'))).toBe(true);
    expect(await chat.mirror(message('m1'))).toBe(false);
    expect(added).toEqual(['m1']);
    expect(chat.unread).toBe(1);

    const out = message('m2', { direction: 'out', state: 'pending' });
    await chat.mirror(out);
    expect(chat.mirrorUpdate({ ...out, state: 'sent' })).toBe(true);
    expect(chat.messages.map((m) => [m.id, m.state])).toEqual([
      ['m1', undefined],
      ['m2', 'sent'],
    ]);
    expect(chat.unread).toBe(1); // our own message is no unread one
    // a mirrored message is not written again: the other tab stored it
    expect(await store.keys()).toEqual([]);
  });
});
