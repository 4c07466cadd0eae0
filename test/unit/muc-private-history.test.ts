import { DOMParser } from '@xmldom/xmldom';
import type { XmppConnection } from '../../src/connection/XmppConnection';
import { RoomList } from '../../src/model/RoomList';
import { PRIVATE_MAX_PAGES, PrivateHistory } from '../../src/plugins/muc/privateHistory';

// The bounds and the failure handling of loading a room's private messages from our own archive
// (docs/muc.md, "Private messages after a page load"). The round trip through Prosody and a page
// load is test/integration/muc-private-history.test.ts and test/e2e/muc-reload-private.test.ts.

const ROOM = 'tea@conference.example.org';
const ME = 'me@example.org';

function el(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
}

/** A connection whose archive answers with `answer(pageIndex)` (each result: [archive id, stanza xml, stamp]), or fails. */
function archiveConnection(answer: (page: number) => { results: Array<[string, string, string]>; complete: boolean } | 'fail', withLast = false) {
  let handler: ((stanza: Element) => unknown) | undefined;
  const queries: string[] = [];
  const connection = {
    addHandler(h: (stanza: Element) => unknown) {
      handler = h;
      return () => (handler = undefined);
    },
    async sendIQ(iq: { tree(): Element }) {
      const tree = iq.tree();
      queries.push(tree.toString());
      const queryid = tree.getElementsByTagName('query')[0].getAttribute('queryid')!;
      const page = answer(queries.length - 1);
      if (page === 'fail') {
        throw el('<iq type="error"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>');
      }
      for (const [id, inner, stamp] of page.results) {
        handler?.(
          el(
            `<message xmlns="jabber:client" to="${ME}/web"><result xmlns="urn:xmpp:mam:2" queryid="${queryid}" id="${id}"><forwarded xmlns="urn:xmpp:forward:0">` +
              `<delay xmlns="urn:xmpp:delay" stamp="${stamp}"/>${inner}</forwarded></result></message>`,
          ),
        );
      }
      const first = page.results[0]?.[0];
      const last = withLast ? page.results[page.results.length - 1]?.[0] : undefined;
      return el(
        `<iq type="result"><fin xmlns="urn:xmpp:mam:2"${page.complete ? ' complete="true"' : ''}><set xmlns="http://jabber.org/protocol/rsm">${first ? `<first>${first}</first>` : ''}${last ? `<last>${last}</last>` : ''}</set></fin></iq>`,
      );
    },
  };
  return { connection: connection as unknown as XmppConnection, queries };
}

const fromCarol = (body: string) => `<message xmlns="jabber:client" from="${ROOM}/carol" to="${ME}/web" type="chat" id="c-${body}"><body>${body}</body></message>`;
const toCarol = (body: string) => `<message xmlns="jabber:client" from="${ME}/web" to="${ROOM}/carol" type="chat" id="m-${body}"><body>${body}</body></message>`;

function joinedRoom() {
  const room = new RoomList().ensure(ROOM, 'me');
  room.setState('joined');
  return room;
}

it('a failing archive query only logs: the join goes on, nothing is added', async () => {
  const { connection } = archiveConnection(() => 'fail');
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const room = joinedRoom();
  await expect(new PrivateHistory(connection, ME).onJoined(room)).resolves.toEqual([]);
  await expect(new PrivateHistory(connection, ME).onOlderPage(room)).resolves.toEqual([]);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining(ROOM), expect.anything());
  expect(room.messages).toEqual([]);
  warn.mockRestore();
});

it('both directions become private messages of the room, in time order; a second load adds nothing', async () => {
  const { connection } = archiveConnection(() => ({
    results: [
      ['a1', fromCarol('hi'), '2026-12-01T10:00:00Z'],
      ['a2', toCarol('hello'), '2026-12-01T10:00:00Z'],
      ['a3', `<message xmlns="jabber:client" from="${ROOM}" to="${ME}"><x xmlns="jabber:x:conference" jid="${ROOM}"/></message>`, '2026-12-01T10:00:01Z'],
    ],
    complete: true,
  }));
  const room = joinedRoom();
  const history = new PrivateHistory(connection, ME);
  await history.onJoined(room);
  expect(room.messages.map((m) => [m.direction, m.nick, m.privateWith, m.body, m.stanzaId, m.type])).toEqual([
    ['in', 'carol', 'carol', 'hi', 'a1', 'chat'],
    ['out', 'me', 'carol', 'hello', 'a2', 'chat'],
  ]);
  await history.onJoined(room);
  expect(room.messages).toHaveLength(2);
  // everything was loaded: scroll-back does not ask again
  await expect(history.onOlderPage(room)).resolves.toEqual([]);
});

it('at most PRIVATE_MAX_PAGES pages per load; scroll-back goes on from the oldest we got', async () => {
  let n = 0;
  const { connection, queries } = archiveConnection(() => {
    n += 1;
    return { results: [[`p${n}`, fromCarol(`page ${n}`), new Date(Date.UTC(2026, 11, 1, 10, 0, 60 - n)).toISOString()]], complete: false };
  });
  const room = joinedRoom();
  const history = new PrivateHistory(connection, ME);
  await history.onJoined(room);
  expect(queries).toHaveLength(PRIVATE_MAX_PAGES);
  await history.onOlderPage(room);
  expect(queries).toHaveLength(2 * PRIVATE_MAX_PAGES);
  expect(queries[PRIVATE_MAX_PAGES]).toContain(`<field var="end"><value>${new Date(Date.UTC(2026, 11, 1, 10, 0, 60 - PRIVATE_MAX_PAGES)).toISOString()}</value>`);
  expect(room.messages.map((m) => m.body)).toEqual(Array.from({ length: 2 * PRIVATE_MAX_PAGES }, (_, i) => `page ${2 * PRIVATE_MAX_PAGES - i}`));
});

it('joined again in the same page: asks only for what our archive has after the newest private message we have', async () => {
  const pages: Array<{ results: Array<[string, string, string]>; complete: boolean }> = [
    { results: [['a1', fromCarol('hi'), '2026-12-01T10:00:00Z'], ['a2', toCarol('hello'), '2026-12-01T10:00:01Z']], complete: true },
    { results: [['a3', fromCarol('while away'), '2026-12-01T11:00:00Z']], complete: true },
  ];
  const { connection, queries } = archiveConnection((page) => pages[page] ?? { results: [], complete: true });
  const room = joinedRoom();
  const history = new PrivateHistory(connection, ME);
  await history.onJoined(room);
  expect(queries).toHaveLength(1);
  room.setState('left');
  room.setState('joined');
  await expect(history.onJoined(room)).resolves.toEqual([expect.objectContaining({ body: 'while away', stanzaId: 'a3' })]);
  expect(queries).toHaveLength(2);
  expect(queries[1]).toContain('<after>a2</after>');
  expect(queries[1]).not.toContain('<before');
  expect(room.messages.map((m) => m.body)).toEqual(['hi', 'hello', 'while away']);
  // scroll-back is where it was: everything older was loaded at the first join
  await expect(history.onOlderPage(room)).resolves.toEqual([]);
  expect(queries).toHaveLength(2);
});

it('joined again and the newer private messages fill more than the bound: the newest pages, as at a first join', async () => {
  let n = 0;
  const { connection, queries } = archiveConnection((page) => {
    if (page === 0) return { results: [['a1', fromCarol('hi'), '2026-12-01T10:00:00Z']], complete: true };
    n += 1;
    return { results: [[`n${n}`, fromCarol(`newer ${n}`), new Date(Date.UTC(2026, 11, 1, 11, 0, n)).toISOString()]], complete: false };
  }, true);
  const room = joinedRoom();
  const history = new PrivateHistory(connection, ME);
  await history.onJoined(room);
  await history.onJoined(room);
  expect(queries.slice(1, 1 + PRIVATE_MAX_PAGES).every((q) => q.includes('<after>'))).toBe(true);
  expect(queries[1 + PRIVATE_MAX_PAGES]).toContain('<before/>');
});
