import { DOMParser } from '@xmldom/xmldom';
import type { XmppConnection } from '../../src/connection/XmppConnection';
import { MultiUserContact } from '../../src/model/MultiUserContact';
import { RoomList } from '../../src/model/RoomList';
import { HookList } from '../../src/plugins/hooks';
import { MucError, mucErrorFromCondition, mucErrorTexts } from '../../src/plugins/muc/errors';
import { Occupancy } from '../../src/plugins/muc/occupancy';
import { leaveReason, parseMucPresence } from '../../src/plugins/muc/presence';
import { toRoomMessage } from '../../src/plugins/muc/messages';
import en from '../../locales/en.json';
import de from '../../locales/de.json';

function el(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
}

const ME = 'bob@localhost/desk';
// Recorded from Prosody 0.12 (kick and destroy); 210 and the conflict error follow XEP-0045 §7.2.
const KICKED = `<presence from="tea@conference.localhost/bob" to="${ME}" type="unavailable" xmlns="jabber:client"><occupant-id id="g4tF" xmlns="urn:xmpp:occupant-id:0"/><x xmlns="http://jabber.org/protocol/muc#user"><status code="307"/><item affiliation="none" jid="${ME}" role="none"><actor nick="alice"/><reason>too loud</reason></item><status code="110"/></x></presence>`;
const DESTROYED = `<presence from="tea@conference.localhost/bob" to="${ME}" type="unavailable" xmlns="jabber:client"><x xmlns="http://jabber.org/protocol/muc#user"><destroy jid="new@conference.localhost"><reason>moving</reason></destroy><item affiliation="none" jid="${ME}" role="none"/><status code="110"/></x></presence>`;
const OWNER = `<presence from="tea@conference.localhost/alice" to="${ME}" xml:lang="en" xmlns="jabber:client"><x xmlns="vcard-temp:x:update"><photo/></x><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="owner" role="moderator"/></x></presence>`;
const SELF_RENAMED = `<presence from="tea@conference.localhost/bob~2" to="${ME}" xmlns="jabber:client"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" role="participant"/><status code="110"/><status code="210"/></x></presence>`;
const CONFLICT = `<presence from="tea@conference.localhost/bob" to="${ME}" type="error" xmlns="jabber:client"><x xmlns="http://jabber.org/protocol/muc"/><error by="tea@conference.localhost" type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`;
const BANNED = `<presence from="tea@conference.localhost/carol" to="${ME}" type="unavailable" xmlns="jabber:client"><x xmlns="http://jabber.org/protocol/muc#user"><status code="301"/><item affiliation="outcast" role="none"/></x></presence>`;

describe('room presence', () => {
  it('reads a kick: status codes, actor, reason', () => {
    const p = parseMucPresence(el(KICKED))!;
    expect(p).toMatchObject({ room: 'tea@conference.localhost', nick: 'bob', type: 'unavailable', codes: [307, 110] });
    expect(p.item).toEqual({ affiliation: 'none', role: 'none', jid: ME, actor: 'alice', reason: 'too loud' });
    expect(leaveReason(p)).toBe('kicked');
  });

  it('reads a destruction with reason and alternative venue', () => {
    const p = parseMucPresence(el(DESTROYED))!;
    expect(p.destroy).toEqual({ reason: 'moving', jid: 'new@conference.localhost' });
    expect(leaveReason(p)).toBe('destroyed');
  });

  it('reads roles, affiliations, a ban, and an error condition', () => {
    expect(parseMucPresence(el(OWNER))!.item).toEqual({ affiliation: 'owner', role: 'moderator' });
    expect(leaveReason(parseMucPresence(el(BANNED))!)).toBe('banned');
    expect(parseMucPresence(el(CONFLICT))).toMatchObject({ type: 'error', error: { condition: 'conflict' } });
  });
});

/** Feeds recorded stanzas to the real presence handler; keeps what it sends. */
class RecordedStream {
  handlers: Array<(s: Element) => void> = [];
  sent: Element[] = [];
  addHandler(handler: (s: Element) => void) {
    this.handlers.push(handler);
    return () => undefined;
  }
  send(stanza: Element) {
    this.sent.push(stanza);
  }
  receive(xml: string) {
    for (const h of this.handlers) h(el(xml));
  }
}

function setup() {
  const stream = new RecordedStream();
  const rooms = new RoomList();
  const occupancy = new Occupancy(stream as unknown as XmppConnection, rooms, { presenceOut: new HookList(), messageIn: new HookList(), messageOut: new HookList() });
  occupancy.listen();
  const room = rooms.ensure('tea@conference.localhost', 'bob');
  return { stream, room, occupancy };
}

describe('what room presence does to the model', () => {
  it('the room changing my nickname (210) changes it on the model', async () => {
    const { stream, room, occupancy } = setup();
    const nicks: string[] = [];
    room.on('nickname', (n) => nicks.push(n));
    const joined = occupancy.join(room);
    stream.receive(OWNER);
    stream.receive(SELF_RENAMED);
    expect(await joined).toEqual([110, 210]);
    expect(room.nickname).toBe('bob~2');
    expect(nicks).toEqual(['bob~2']);
    expect(room.state).toBe('joined');
    expect(room.occupants.map((o) => `${o.nick}:${o.role}/${o.affiliation}${o.self ? ':me' : ''}`)).toEqual(['alice:moderator/owner', 'bob~2:participant/member:me']);
  });

  it('a nickname conflict rejects the join with a suggestion and sets the error state', async () => {
    const { stream, room, occupancy } = setup();
    const joined = occupancy.join(room);
    stream.receive(CONFLICT);
    const error: MucError = await joined.catch((e) => e);
    expect(error).toMatchObject({ kind: 'nickname-in-use', params: { nickname: 'bob', suggestedNickname: 'bob_' } });
    expect(room.state).toBe('error');
  });

  it('being kicked while inside leaves the room with a "kicked" error naming who and why', async () => {
    const { stream, room, occupancy } = setup();
    const joined = occupancy.join(room);
    stream.receive(`<presence from="tea@conference.localhost/bob" xmlns="jabber:client"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="participant"/><status code="110"/></x></presence>`);
    await joined;
    const errors: MucError[] = [];
    room.on('error', (e) => errors.push(e));
    stream.receive(KICKED);
    expect(room.state).toBe('error');
    expect(room.wantJoined).toBe(false);
    expect(errors.map((e) => e.message)).toEqual(['You were kicked from tea@conference.localhost by alice: too loud.']);
    expect(mucErrorTexts(errors[0])).toEqual([
      { key: 'muc_error_kicked', values: { room: 'tea@conference.localhost', nickname: 'bob', reason: 'too loud', actor: 'alice' } },
      { key: 'muc_error_reason', values: { reason: 'too loud' } },
      { key: 'muc_error_actor', values: { actor: 'alice' } },
    ]);
  });
});

describe('room errors', () => {
  const conditions = ['conflict', 'registration-required', 'forbidden', 'not-authorized', 'item-not-found', 'service-unavailable', 'gone', 'not-allowed', 'timeout', 'bad-request'];
  it.each(conditions)('%s has a message and a locale key in English and German', (condition) => {
    const error = mucErrorFromCondition(condition, { room: 'tea@conference.localhost', nickname: 'bob' });
    expect(error.message).toContain('tea@conference.localhost');
    expect(en).toHaveProperty([error.localeKey]);
    expect(de).toHaveProperty([error.localeKey]);
    for (const { key } of mucErrorTexts(error)) expect(en).toHaveProperty([key]);
  });
  it('maps the join conditions of XEP-0045 §7.2 to what they mean', () => {
    const kind = (c: string) => mucErrorFromCondition(c, { room: 'r@s' }).kind;
    expect(['conflict', 'registration-required', 'forbidden', 'not-authorized', 'item-not-found', 'service-unavailable', 'gone'].map(kind)).toEqual([
      'nickname-in-use',
      'not-a-member',
      'banned',
      'wrong-password',
      'room-not-found',
      'service-unavailable',
      'room-destroyed',
    ]);
  });
  it('every kind has its key in the locales', () => {
    const kinds = ['nickname-in-use', 'not-a-member', 'banned', 'wrong-password', 'room-not-found', 'service-unavailable', 'room-destroyed', 'kicked', 'removed-banned', 'removed-affiliation', 'not-allowed', 'not-joined', 'disabled', 'timeout', 'unknown'] as const;
    for (const k of kinds) {
      const e = new MucError(k, { room: 'r@s' });
      expect([k, e.localeKey in en, e.localeKey in de]).toEqual([k, true, true]);
    }
  });
});

it('a room is a MultiUserContact, known to getContact', () => {
  const rooms = new RoomList();
  const room = rooms.ensure('Tea@Conference.localhost', 'bob');
  expect(room).toBeInstanceOf(MultiUserContact);
  expect(rooms.get('tea@conference.localhost')).toBe(room);
  expect(() => rooms.ensure('tea@conference.localhost/bob', 'x')).toThrow('A room JID must be a bare JID');
  expect(() => rooms.ensure('other@conference.localhost', ' ')).toThrow('A nickname for other@conference.localhost must be a non-empty string');
});

describe('who sent a room message (what a correction is checked against, XEP-0308 §5)', () => {
  const ROOM = 'tea@conference.localhost';
  const room = () => {
    const r = new RoomList().ensure(ROOM, 'bob');
    r.setOccupant({ nick: 'carol', jid: 'carol@localhost/phone', role: 'participant', affiliation: 'none', presence: 'online', status: '', self: false });
    return r;
  };
  const item = (jid: string) => `<x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="participant" jid="${jid}"/></x>`;
  const message = (inner: string) => el(`<message from="${ROOM}/carol" type="groupchat" id="c2" xmlns="jabber:client"><body>no typo</body><replace xmlns="urn:xmpp:message-correct:0" id="c1"/><occupant-id xmlns="urn:xmpp:occupant-id:0" id="occ-c"/>${inner}</message>`);
  const delay = '<delay xmlns="urn:xmpp:delay" from="tea@conference.localhost" stamp="2026-01-01T10:00:00Z"/>';

  it('live: the occupant-id the room stamped and the real JID from the occupant’s presence, never one the message names', () => {
    expect(toRoomMessage(room(), message(item('mallory@localhost')))).toMatchObject({ replaces: 'c1', occupantId: 'occ-c', senderJid: 'carol@localhost' });
  });

  it('from the room’s archive: the one muc#user item the room added; two (one forged by the occupant) count as none', () => {
    const time = new Date('2026-01-01T10:00:00Z');
    expect(toRoomMessage(room(), message(delay + item('carol@localhost/phone')), { time })).toMatchObject({ delayed: true, senderJid: 'carol@localhost' });
    expect(toRoomMessage(room(), message(delay + item('dave@localhost') + item('carol@localhost')), { time })?.senderJid).toBeUndefined();
  });

  it('a live message with a <delay> and one muc#user item of its own (forged: as if from the history) still counts as its sender’s, from presence', () => {
    const r = room();
    r.setOccupant({ nick: 'mallory', jid: 'mallory@localhost/x', role: 'participant', affiliation: 'none', presence: 'online', status: '', self: false });
    const forged = el(`<message from="${ROOM}/mallory" type="groupchat" id="m2" xmlns="jabber:client"><body>gotcha</body><replace xmlns="urn:xmpp:message-correct:0" id="c1"/>${delay}${item('carol@localhost/phone')}</message>`);
    expect(toRoomMessage(r, forged)).toMatchObject({ nick: 'mallory', senderJid: 'mallory@localhost' });
  });
});
