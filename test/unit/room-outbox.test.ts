import { DOMParser } from '@xmldom/xmldom';
import type { MultiUserContact } from '../../src/model/MultiUserContact';
import { RoomList } from '../../src/model/RoomList';
import { newRoomMessageIds, RoomMessage, RoomMessageIds, RoomTimeline } from '../../src/model/RoomMessage';
import { toRoomMessage } from '../../src/plugins/muc/messages';
import { RoomOutbox } from '../../src/plugins/muc/roomOutbox';

// Our group chat messages across a hand-over (docs/muc.md, "Sending across a hand-over"): sent
// with the ids the asking tab chose, at most once per id, not again when the room has it; the
// room's copy (reflection, archive) is merged into ours by origin-id. The real round trip through
// Prosody and two tabs is test/integration/muc-handover.test.ts.

const JID = 'tea@conference.example.org';

function el(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
}

/** The room's copy of a message of ours ("mine"), as Prosody reflects or archives it. */
function reflection(ids: RoomMessageIds, body: string, stanzaId: string, opts: { nick?: string; id?: string } = {}): Element {
  return el(
    `<message xmlns="jabber:client" from="${JID}/${opts.nick ?? 'mine'}" type="groupchat" id="${opts.id ?? ids.id}"><body>${body}</body>` +
      `<origin-id xmlns="urn:xmpp:sid:0" id="${ids.originId}"/><stanza-id xmlns="urn:xmpp:sid:0" by="${JID}" id="${stanzaId}"/></message>`,
  );
}

/** A joined room, an outbox whose stanzas are recorded and whose archive holds `archive`. */
function setUp(archive: Element[] = []) {
  const room = new RoomList().ensure(JID, 'mine');
  room.wantJoined = true;
  room.setState('joined');
  const sent: Element[] = [];
  const lookups: number[] = [];
  const outbox = new RoomOutbox(
    async (r: MultiUserContact, ids: RoomMessageIds, since: number) => {
      lookups.push(since);
      const found = archive.map((s) => toRoomMessage(r, s)).find((m) => m?.originId === ids.originId);
      if (!found) return undefined;
      r.addServerCopy(found);
      return r.findOwnMessage(ids.originId, ids.id);
    },
    async (stanza: Element) => {
      sent.push(stanza);
      return true;
    },
  );
  /** the room reflects `stanza` (as RoomMessages.receive does) */
  const reflect = (stanza: Element) => {
    room.addServerCopy(toRoomMessage(room, stanza)!);
  };
  return { room, sent, lookups, outbox, reflect };
}

const originOf = (stanza: Element) => stanza.getElementsByTagName('origin-id')[0]?.getAttribute('id');

it('sends with the ids the asking tab chose; pending until the reflection, which is merged into our copy (one message)', async () => {
  const { room, sent, outbox, reflect } = setUp();
  const ids = newRoomMessageIds();
  const message = await outbox.send(room, 'hello', ids);
  expect(sent).toHaveLength(1);
  expect(sent[0].getAttribute('id')).toBe(ids.id);
  expect(originOf(sent[0])).toBe(ids.originId);
  expect(room.pendingMessages).toEqual([expect.objectContaining({ id: ids.id, originId: ids.originId, body: 'hello', attempted: expect.any(Number) })]);
  reflect(reflection(ids, 'hello', 'room-1'));
  expect(room.pendingMessages).toEqual([]);
  expect(room.messages).toHaveLength(1);
  expect(message.stanzaId).toBe('room-1');
});

it('the same ids asked twice at once (two tabs asking the new leader, a flush) go out once', async () => {
  const { room, sent, outbox } = setUp();
  const ids = newRoomMessageIds();
  const [a, b] = await Promise.all([outbox.send(room, 'once', ids), outbox.send(room, 'once', { ...ids, attempted: ids.requested })]);
  expect(a).toBe(b);
  expect(await outbox.send(room, 'once', { ...ids, attempted: ids.requested })).toBe(a);
  expect(sent).toHaveLength(1);
});

it('asked again after a hand-over: not sent when the timeline has the room copy, or the archive has it', async () => {
  // the reflection came before the hand-over
  const first = setUp();
  const reflected = newRoomMessageIds();
  first.reflect(reflection(reflected, 'reflected', 'room-2'));
  await first.outbox.send(first.room, 'reflected', { ...reflected, attempted: reflected.requested });
  expect(first.sent).toHaveLength(0);
  expect(first.lookups).toHaveLength(0);

  // only the old leader's own copy (mirrored, no stanza-id): the archive decides
  const ids = newRoomMessageIds();
  const second = setUp([reflection(ids, 'archived', 'room-3')]);
  const mirrored: RoomMessage = { uid: 'mold1', messageId: ids.id, originId: ids.originId, nick: 'mine', body: 'archived', time: new Date(), direction: 'out', type: 'groupchat', mentionsMe: false, delayed: false };
  second.room.addMessage(mirrored);
  second.room.mirrorPending([{ ...ids, body: 'archived', attempted: ids.requested }]);
  const found = await second.outbox.flush(second.room).then(() => second.room.findOwnMessage(ids.originId, ids.id));
  expect(second.sent).toHaveLength(0);
  expect(second.lookups).toEqual([ids.requested]);
  expect(found).toBe(second.room.messages[0]);
  expect(found?.stanzaId).toBe('room-3');
  expect(second.room.messages).toHaveLength(1);
  expect(second.room.pendingMessages).toEqual([]);
});

it('asked again and not in the archive: sent again with the same ids, shown once', async () => {
  const { room, sent, outbox, reflect } = setUp();
  const ids = newRoomMessageIds();
  room.addMessage({ uid: 'mold2', messageId: ids.id, originId: ids.originId, nick: 'mine', body: 'lost', time: new Date(), direction: 'out', type: 'groupchat', mentionsMe: false, delayed: false });
  await outbox.send(room, 'lost', { ...ids, attempted: ids.requested });
  expect(sent).toHaveLength(1);
  expect(sent[0].getAttribute('id')).toBe(ids.id);
  expect(originOf(sent[0])).toBe(ids.originId);
  reflect(reflection(ids, 'lost', 'room-4'));
  expect(room.messages).toHaveLength(1);
  expect(room.pendingMessages).toEqual([]);
});

it('a copy of ours the server gave back settles its pending entry; a copy made in this tab (or mirrored) does not', () => {
  const { room } = setUp();
  const ids = newRoomMessageIds();
  room.notePending({ ...ids, body: 'hi' });
  const local: RoomMessage = { uid: room.newMessageUid(), messageId: ids.id, originId: ids.originId, nick: 'mine', body: 'hi', time: new Date(), direction: 'out', type: 'groupchat', mentionsMe: false, delayed: false };
  room.addMessage(local);
  expect(room.pendingMessages).toHaveLength(1);
  room.addServerCopy({ ...local, uid: room.newMessageUid(), nick: 'other', direction: 'in', stanzaId: 'sid-other' }); // someone else's
  expect(room.pendingMessages).toHaveLength(1);
  expect(room.addServerCopy(toRoomMessage(room, reflection(ids, 'hi', 'sid-1'))!)).toBeUndefined(); // merged into our copy
  expect(room.pendingMessages).toEqual([]);
  expect(room.messages.filter((m) => m.direction === 'out')).toEqual([expect.objectContaining({ uid: local.uid, stanzaId: 'sid-1' })]);
});

it('a refused message is no longer pending (not sent again)', async () => {
  const { room, outbox } = setUp();
  const ids = newRoomMessageIds();
  await outbox.send(room, 'no voice', ids);
  room.reportError(new (await import('../../src/plugins/muc/errors')).MucError('not-allowed', { room: JID }), ids.id);
  expect(room.pendingMessages).toEqual([]);
});

describe('origin-id in the timeline', () => {
  const base = { nick: 'mine', time: new Date('2026-01-01T10:00:00Z'), type: 'groupchat' as const, mentionsMe: false, delayed: false };

  it('our copy and the room copy with the same origin-id are one message, even when the id or our nickname differ', () => {
    const t = new RoomTimeline();
    t.insert({ ...base, uid: t.newUid(), body: 'hi', direction: 'out', messageId: 'a', originId: 'o1' });
    expect(t.insert({ ...base, uid: t.newUid(), body: 'hi', direction: 'out', messageId: 'rewritten', originId: 'o1', stanzaId: 's1' })).toBeUndefined();
    expect(t.insert({ ...base, uid: t.newUid(), nick: 'renamed', body: 'hi', direction: 'out', originId: 'o1', stanzaId: 's1b' })).toBeUndefined();
    expect(t.messages).toHaveLength(1);
    expect(t.messages[0].stanzaId).toBe('s1');
    expect(t.findOwnSent('o1', undefined)).toBe(t.messages[0]);
  });

  it("someone else's message with our origin-id is another message (an occupant cannot hide ours)", () => {
    const t = new RoomTimeline();
    t.insert({ ...base, uid: t.newUid(), body: 'mine', direction: 'out', messageId: 'a', originId: 'o2' });
    expect(t.insert({ ...base, uid: t.newUid(), nick: 'mallory', body: 'copy', direction: 'in', messageId: 'b', originId: 'o2', stanzaId: 's2' })).toBeDefined();
    expect(t.messages).toHaveLength(2);
    expect(t.findOwnSent('o2', undefined)?.body).toBe('mine');
  });
});

describe('private messages (docs/muc.md, "Private messages across a hand-over")', () => {
  /** A joined room and an outbox whose private messages are acknowledged when `ack()` is called; `archived`: what our own archive has. */
  function privateSetUp(archived: (ids: RoomMessageIds) => RoomMessage | undefined = () => undefined) {
    const room = new RoomList().ensure(JID, 'mine');
    room.wantJoined = true;
    room.setState('joined');
    const sent: Element[] = [];
    const lookups: Array<string | undefined> = [];
    let ack = () => {};
    const outbox = new RoomOutbox(
      async (r, ids, _since, to) => {
        lookups.push(to);
        const found = archived(ids);
        if (found) {
          r.addMessage(found);
          r.settlePending(ids.originId, ids.id);
        }
        return found && r.findOwnMessage(ids.originId, ids.id);
      },
      async () => true,
      () => Promise.resolve(),
      async (stanza) => {
        sent.push(stanza);
        return { acked: new Promise<void>((resolve) => (ack = resolve)) };
      },
    );
    return { room, sent, lookups, outbox, ack: () => ack() };
  }

  it('sent to room/nick with our ids and origin-id; pending (with `to`) until the server acknowledges it', async () => {
    const { room, sent, outbox, ack } = privateSetUp();
    const ids = newRoomMessageIds();
    const message = await outbox.sendPrivate(room, 'bob', 'psst', ids);
    expect(sent).toHaveLength(1);
    expect(sent[0].getAttribute('to')).toBe(`${JID}/bob`);
    expect(sent[0].getAttribute('type')).toBe('chat');
    expect(sent[0].getAttribute('id')).toBe(ids.id);
    expect(originOf(sent[0])).toBe(ids.originId);
    expect(sent[0].getElementsByTagName('x')[0]?.getAttribute('xmlns')).toBe('http://jabber.org/protocol/muc#user');
    expect(message).toMatchObject({ type: 'chat', privateWith: 'bob', direction: 'out', body: 'psst', originId: ids.originId });
    expect(room.pendingMessages).toEqual([expect.objectContaining({ id: ids.id, to: 'bob', body: 'psst' })]);
    ack();
    await Promise.resolve();
    expect(room.pendingMessages).toEqual([]);
  });

  it('a pending private message left by an earlier leader or page: looked for in our archive (not the room’s), sent again only when missing', async () => {
    const ids = newRoomMessageIds();
    const copy = (r: MultiUserContact): RoomMessage => ({ uid: r.newMessageUid(), stanzaId: 'mine-1', messageId: ids.id, originId: ids.originId, nick: 'mine', privateWith: 'bob', body: 'psst', time: new Date(), direction: 'out', type: 'chat', mentionsMe: false, delayed: true });
    const entry = { ...ids, body: 'psst', to: 'bob', attempted: ids.requested };
    const inArchive = privateSetUp();
    const archivedCopy = copy(inArchive.room);
    const withCopy = privateSetUp(() => archivedCopy);
    withCopy.room.notePending(entry);
    await withCopy.outbox.flush(withCopy.room);
    expect(withCopy.lookups).toEqual(['bob']);
    expect(withCopy.sent).toHaveLength(0);
    expect(withCopy.room.pendingMessages).toEqual([]);

    const missing = privateSetUp(); // its archive is empty
    missing.room.notePending(entry);
    await missing.outbox.flush(missing.room);
    expect(missing.lookups).toEqual(['bob']);
    expect(missing.sent.map((s) => [s.getAttribute('to'), s.getAttribute('id'), originOf(s)])).toEqual([[`${JID}/bob`, ids.id, ids.originId]]);
    expect(missing.room.messages.filter((m) => m.body === 'psst')).toHaveLength(1);
  });
});

it('a room message with the origin-id of one of ours still pending is ours, also under an earlier nickname', () => {
  const { room } = setUp();
  const ids = newRoomMessageIds();
  room.notePending({ ...ids, body: 'hello', attempted: ids.requested });
  expect(toRoomMessage(room, reflection(ids, 'hello', 'room-1', { nick: 'earlier' }))).toMatchObject({ direction: 'out', nick: 'earlier' });
  expect(toRoomMessage(room, reflection(newRoomMessageIds(), 'hello', 'room-2', { nick: 'earlier' }))).toMatchObject({ direction: 'in' });
});
