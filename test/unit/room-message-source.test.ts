import { RoomList } from '../../src/model/RoomList';
import type { RoomMessage } from '../../src/model/RoomMessage';
import { MucError } from '../../src/plugins/muc/errors';
import { RoomMessageSource } from '../../src/ui/muc/RoomMessageSource';

// The room window's messages (src/ui/muc/RoomMessageSource.ts): the room's timeline mapped to the
// message list's Messages, again only when the timeline changed. Each step compares with a source
// made afresh (which maps the timeline as it is now): a stale mapping fails here.

const JID = 'tea@conference.example.org';
const t = ((key: string) => `t:${key}`) as never;

function message(uid: string, body: string, second: number, extra: Partial<RoomMessage> = {}): RoomMessage {
  return { uid, nick: 'ann', body, time: new Date(second * 1000), direction: 'in', type: 'groupchat', mentionsMe: false, delayed: false, ...extra };
}

it('maps the timeline once per change, never stale: a new message, an older one, a correction, a refused message, a stanza-id learned later', () => {
  const room = new RoomList().ensure(JID, 'me');
  const source = new RoomMessageSource(room, t);
  const same = () => expect(JSON.parse(JSON.stringify(source.messages))).toEqual(JSON.parse(JSON.stringify(new RoomMessageSource(room, t).messages)));

  room.addMessage(message(room.newMessageUid(), 'hello', 10, { messageId: 'a1', stanzaId: 's1' }));
  same();
  const first = source.messages;
  for (let frame = 0; frame < 10; frame++) {
    expect(source.messages).toBe(first); // a frame without a change maps nothing
  }
  expect(source.mappingCount).toBe(1);

  room.addMessage(message(room.newMessageUid(), 'newer', 11));
  expect(source.messages.map((m) => m.body)).toEqual(['hello', 'newer']);
  room.addMessage(message(room.newMessageUid(), 'older', 5), 'prepend');
  expect(source.messages.map((m) => m.body)).toEqual(['older', 'hello', 'newer']);
  same();

  room.addMessage(message(room.newMessageUid(), 'hello!', 12, { messageId: 'a2', replaces: 'a1' }));
  expect(source.messages.map((m) => [m.body, m.corrected ?? false])).toEqual([
    ['older', false],
    ['hello!', true],
    ['newer', false],
  ]);
  same();

  const mine = message(room.newMessageUid(), 'mine', 13, { direction: 'out', nick: 'me', messageId: 'x1', originId: 'o1' });
  room.addMessage(mine);
  room.reportError(new MucError('not-allowed', { room: JID, condition: 'forbidden' }), 'x1');
  expect(source.messages[3]).toMatchObject({ body: 'mine', state: 'failed', error: 't:muc_error_not_allowed' });
  same();

  const ours = message(room.newMessageUid(), 'reflected later', 14, { direction: 'out', nick: 'me', messageId: 'x2', originId: 'o2' });
  room.addMessage(ours);
  expect(source.messages[4].stanzaId).toBeUndefined();
  room.addServerCopy(message(room.newMessageUid(), 'reflected later', 14, { direction: 'out', nick: 'me', messageId: 'x2', originId: 'o2', stanzaId: 's9' }));
  expect(source.messages[4].stanzaId).toBe('s9');
  room.mirrorIds(mine.uid, { stanzaId: 's8' }); // (several tabs: learned in the leader)
  expect(source.messages[3].stanzaId).toBe('s8');
  same();

  // the room's state is no change of the timeline: nothing mapped again, the same messages
  const count = source.mappingCount;
  room.setState('joined');
  room.setState('left');
  expect(source.messages.map((m) => m.body)).toEqual(['older', 'hello!', 'newer', 'mine', 'reflected later']);
  expect(source.mappingCount).toBe(count);
  // an error text set by the window shows at once
  source.setError(ours.uid, 'refused by the room');
  room.reportError(new MucError('not-allowed', { room: JID, condition: 'forbidden' }), 'x2');
  expect(source.messages[4]).toMatchObject({ state: 'failed', error: 'refused by the room' });
});

it('a refused private message sent again (Retry) is no longer failed; refused again, it fails with the new reason', () => {
  const room = new RoomList().ensure(JID, 'me');
  const source = new RoomMessageSource(room, t);
  const pm = message(room.newMessageUid(), 'psst', 10, { direction: 'out', nick: 'me', type: 'chat', privateWith: 'bob', messageId: 'p1', originId: 'o1' });
  room.addMessage(pm);
  source.setError(pm.uid, 'bob is not in the room');
  room.reportError(new MucError('recipient-not-in-room', { room: JID, nickname: 'bob' }), 'p1');
  expect(source.messages[0]).toMatchObject({ state: 'failed', error: 'bob is not in the room' });
  room.clearMessageError(pm.uid); // (MultiUserContact.retryMessage)
  expect(source.messages[0].state).toBeUndefined();
  expect(source.messages[0].error).toBeUndefined();
  room.reportError(new MucError('recipient-not-in-room', { room: JID, nickname: 'bob' }), 'p1');
  expect(source.messages[0]).toMatchObject({ state: 'failed', error: 't:muc_error_recipient_not_in_room' });
});
