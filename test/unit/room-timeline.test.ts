import { mentions, RoomMessage, RoomTimeline } from '../../src/model/RoomMessage';
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
