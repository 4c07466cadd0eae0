import { mentions, RoomMessage, RoomTimeline } from '../../src/model/RoomMessage';
import { RoomList } from '../../src/model/RoomList';
import { compareOccupants, Occupant } from '../../src/model/Occupant';

function msg(t: RoomTimeline, body: string, time: string, extra: Partial<RoomMessage> = {}): RoomMessage {
  return { uid: t.newUid(), nick: 'alice', body, time: new Date(time), direction: 'in', type: 'groupchat', mentionsMe: false, delayed: false, ...extra };
}

describe('room timeline', () => {
  it('drops a message seen again (by stanza-id, or by sender and id) and keeps time order', () => {
    const t = new RoomTimeline();
    t.insert(msg(t, 'one', '2026-01-01T10:00:00.300Z', { messageId: 'a' }));
    t.insert(msg(t, 'two', '2026-01-01T10:00:01.000Z', { stanzaId: 's2' }));
    // the room echoes "one" with its stanza-id: merged
    expect(t.insert(msg(t, 'one', '2026-01-01T10:00:00Z', { messageId: 'a', stanzaId: 's1' }))).toBeUndefined();
    expect(t.messages[0].stanzaId).toBe('s1');
    expect(t.insert(msg(t, 'two', '2026-01-01T10:00:01Z', { stanzaId: 's2', delayed: true }))).toBeUndefined();
    // same id from someone else is another message
    expect(t.insert(msg(t, 'three', '2026-01-01T10:00:05Z', { messageId: 'a', nick: 'bob' }))).toBeDefined();
    expect(t.messages.map((m) => m.body)).toEqual(['one', 'two', 'three']);
  });

  it('history with whole-second stamps goes after live messages of the same second; older pages go before', () => {
    const t = new RoomTimeline();
    t.insert(msg(t, 'live 1', '2026-01-01T10:00:07.900Z'));
    t.insert(msg(t, 'history 2', '2026-01-01T10:00:07Z', { stanzaId: 'h2' })); // same second: after
    // an older archive page, given newest first, prepended
    t.insert(msg(t, 'old 0', '2026-01-01T10:00:07Z', { stanzaId: 'o0' }), 'prepend');
    t.insert(msg(t, 'old -1', '2026-01-01T09:59:00Z', { stanzaId: 'o-1' }), 'prepend');
    expect(t.messages.map((m) => m.body)).toEqual(['old -1', 'old 0', 'live 1', 'history 2']);
    expect(t.oldestStanzaId).toBe('o-1');
  });
});

it('finds mentions of a nickname as a word, case-insensitively', () => {
  expect(mentions('hi Bob!', 'bob')).toBe(true);
  expect(mentions('@bob: look', 'bob')).toBe(true);
  expect(mentions('bobby is here', 'bob')).toBe(false);
  expect(mentions('see a.b*c', 'a.b*c')).toBe(true);
  expect(mentions('aXb', 'a.b')).toBe(false);
  expect(mentions('anything', '')).toBe(false);
});

it('sorts occupants by role, then affiliation, then nickname', () => {
  const o = (nick: string, role: Occupant['role'], affiliation: Occupant['affiliation']): Occupant => ({ nick, role, affiliation, presence: 'online', status: '', self: false });
  const sorted = [o('zed', 'participant', 'none'), o('amy', 'visitor', 'none'), o('Bea', 'participant', 'member'), o('carl', 'moderator', 'admin'), o('abe', 'moderator', 'owner'), o('bob', 'participant', 'none')].sort(compareOccupants);
  expect(sorted.map((x) => x.nick)).toEqual(['abe', 'carl', 'Bea', 'bob', 'zed', 'amy']);
});

describe('corrections of private messages (XEP-0308)', () => {
  const JID = 'tea@conference.example.org';
  const pm = (room: ReturnType<RoomList['ensure']>, body: string, time: string, extra: Partial<RoomMessage> = {}): RoomMessage => ({
    uid: room.newMessageUid(),
    nick: 'carol',
    privateWith: 'carol',
    body,
    time: new Date(time),
    direction: 'in',
    type: 'chat',
    mentionsMe: false,
    delayed: true,
    ...extra,
  });

  it('a correction gives the message it names its text (once, "corrected"); one from another sender or of a room message is a message of its own', () => {
    const room = new RoomList().ensure(JID, 'me');
    const corrected: string[] = [];
    room.on('corrected', (m) => corrected.push(m.body));
    room.addMessage(pm(room, 'a typo', '2026-01-01T10:00:00Z', { messageId: 'x', stanzaId: 's1' }));
    room.addMessage({ uid: room.newMessageUid(), nick: 'carol', messageId: 'g', body: 'room x', time: new Date('2026-01-01T10:00:01Z'), direction: 'in', type: 'groupchat', mentionsMe: false, delayed: true });
    expect(room.addMessage(pm(room, 'no typo', '2026-01-01T10:00:02Z', { messageId: 'fix', stanzaId: 's2', replaces: 'x' }))).toBeUndefined();
    expect(room.addMessage(pm(room, 'no typo', '2026-01-01T10:00:02Z', { messageId: 'fix', stanzaId: 's2', replaces: 'x' }))).toBeUndefined(); // seen again
    expect(corrected).toEqual(['no typo']);
    // §5: only the sender may correct; private corrections never rewrite a room message
    room.addMessage(pm(room, 'pwned', '2026-01-01T10:00:03Z', { nick: 'mallory', privateWith: 'mallory', messageId: 'm1', replaces: 'x', delayed: false }));
    room.addMessage(pm(room, 'pwned too', '2026-01-01T10:00:04Z', { messageId: 'm2', replaces: 'g', delayed: false }));
    expect(room.messages.map((m) => `${m.body}${m.corrected ? ' (corrected)' : ''}`)).toEqual(['no typo (corrected)', 'room x', 'pwned', 'pwned too']);
  });

  it('from an archive page given newest first, the correction before its message: kept aside and applied when the message comes; the newest correction wins', () => {
    const room = new RoomList().ensure(JID, 'me');
    room.addMessage(pm(room, 'second fix', '2026-01-01T10:00:05Z', { messageId: 'f2', replaces: 'x' }), 'prepend');
    room.addMessage(pm(room, 'first fix', '2026-01-01T10:00:05Z', { messageId: 'f1', replaces: 'x' }), 'prepend'); // same second, came after: older
    room.addMessage(pm(room, 'a typo', '2026-01-01T10:00:00Z', { messageId: 'x' }), 'prepend');
    expect(room.messages.map((m) => [m.body, m.corrected])).toEqual([['second fix', true]]);
    // a live correction of a message we do not have is shown as it is
    expect(room.addMessage(pm(room, 'fix of the unknown', '2026-01-01T10:00:09Z', { messageId: 'f3', replaces: 'nope', delayed: false }))).toBeDefined();
  });
});

describe('corrections of room messages (XEP-0308)', () => {
  const JID = 'tea@conference.example.org';
  const gc = (room: ReturnType<RoomList['ensure']>, body: string, time: string, extra: Partial<RoomMessage> = {}): RoomMessage => ({
    uid: room.newMessageUid(),
    nick: 'carol',
    body,
    time: new Date(time),
    direction: 'in',
    type: 'groupchat',
    mentionsMe: false,
    delayed: false,
    ...extra,
  });
  const story = (room: ReturnType<RoomList['ensure']>) => room.messages.map((m) => `${m.nick}: ${m.body}${m.corrected ? ' (corrected)' : ''}`);

  it('live: the sender’s correction gives their message its text (once); another occupant’s naming it (other occupant-id, real JID or nickname) changes nothing', () => {
    const room = new RoomList().ensure(JID, 'me');
    const corrected: string[] = [];
    room.on('corrected', (m) => corrected.push(m.body));
    room.addMessage(gc(room, 'a typo', '2026-01-01T10:00:00Z', { messageId: 'x', occupantId: 'occ-carol' }));
    room.addMessage(gc(room, 'by jid', '2026-01-01T10:00:00Z', { nick: 'dave', messageId: 'y', senderJid: 'dave@example.org' }));
    room.addMessage(gc(room, 'by nick', '2026-01-01T10:00:00Z', { nick: 'erin', messageId: 'z' }));
    // mallory names each of them: another occupant-id (even under carol's nickname), another real JID, another nickname
    room.addMessage(gc(room, 'pwned x', '2026-01-01T10:00:01Z', { nick: 'carol', messageId: 'm1', occupantId: 'occ-mallory', replaces: 'x' }));
    room.addMessage(gc(room, 'pwned y', '2026-01-01T10:00:01Z', { nick: 'dave', messageId: 'm2', senderJid: 'mallory@example.org', replaces: 'y' }));
    room.addMessage(gc(room, 'pwned z', '2026-01-01T10:00:01Z', { nick: 'mallory', messageId: 'm3', replaces: 'z' }));
    expect(corrected).toEqual([]);
    // a private correction never rewrites a room message
    room.addMessage(gc(room, 'pwned private', '2026-01-01T10:00:01Z', { type: 'chat', privateWith: 'carol', messageId: 'm4', occupantId: 'occ-carol', replaces: 'x' }));
    // the senders' own (carol under a new nickname: the same occupant-id)
    room.addMessage(gc(room, 'no typo', '2026-01-01T10:00:02Z', { nick: 'caroline', messageId: 'f1', occupantId: 'occ-carol', replaces: 'x' }));
    room.addMessage(gc(room, 'by jid, fixed', '2026-01-01T10:00:02Z', { nick: 'dave', messageId: 'f2', senderJid: 'dave@example.org', replaces: 'y' }));
    room.addMessage(gc(room, 'by nick, fixed', '2026-01-01T10:00:02Z', { nick: 'erin', messageId: 'f3', replaces: 'z' }));
    room.addMessage(gc(room, 'no typo', '2026-01-01T10:00:02Z', { nick: 'caroline', messageId: 'f1', occupantId: 'occ-carol', replaces: 'x' })); // seen again
    expect(corrected).toEqual(['no typo', 'by jid, fixed', 'by nick, fixed']);
    expect(story(room)).toEqual([
      'carol: no typo (corrected)',
      'dave: by jid, fixed (corrected)',
      'erin: by nick, fixed (corrected)',
      'carol: pwned x',
      'dave: pwned y',
      'mallory: pwned z',
      'carol: pwned private',
    ]);
  });

  it('our own: our copy (no occupant-id yet) is corrected by our correction, and the room’s copy of it changes nothing more', () => {
    const room = new RoomList().ensure(JID, 'me');
    room.addMessage(gc(room, 'mine', '2026-01-01T10:00:00Z', { nick: 'me', direction: 'out', messageId: 'o1', originId: 'oo1' }));
    expect(room.lastOwnMessage?.body).toBe('mine');
    room.addMessage(gc(room, 'mine, fixed', '2026-01-01T10:00:01Z', { nick: 'me', direction: 'out', messageId: 'o2', originId: 'oo2', replaces: 'o1' }));
    room.addServerCopy(gc(room, 'mine, fixed', '2026-01-01T10:00:01Z', { nick: 'me', direction: 'out', messageId: 'o2', originId: 'oo2', occupantId: 'occ-me', stanzaId: 's2', replaces: 'o1' }));
    expect(story(room)).toEqual(['me: mine, fixed (corrected)']);
    expect(room.lastOwnMessage?.body).toBe('mine, fixed');
  });

  it('from the archive, newest first: the correction before its message is kept aside and applied when the message comes, the newest wins; another occupant’s is not', () => {
    const room = new RoomList().ensure(JID, 'me');
    room.addMessage(gc(room, 'pwned', '2026-01-01T10:00:06Z', { nick: 'mallory', messageId: 'm', occupantId: 'occ-mallory', replaces: 'x', delayed: true }), 'prepend');
    room.addMessage(gc(room, 'second fix', '2026-01-01T10:00:05Z', { messageId: 'f2', occupantId: 'occ-carol', replaces: 'x', delayed: true }), 'prepend');
    room.addMessage(gc(room, 'first fix', '2026-01-01T10:00:04Z', { messageId: 'f1', occupantId: 'occ-carol', replaces: 'x', delayed: true }), 'prepend');
    room.addMessage(gc(room, 'a typo', '2026-01-01T10:00:00Z', { messageId: 'x', occupantId: 'occ-carol', delayed: true }), 'prepend');
    expect(story(room)).toEqual(['carol: second fix (corrected)']);
  });
});
