/** Room history from the room's archive (XEP-0313 on the room JID), a page at a time, newest first. */
import { $iq } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomMessage } from '../../model/RoomMessage';
import type { HistoryPage } from '../../model/RoomList';
import { firstChild } from '../../protocol/xml';
import type { AccountHooks, IncomingStanza } from '../Plugin';
import { requestError } from './admin';
import { delayStamp, toRoomMessage } from './messages';
import { NS_FORWARD, NS_MAM, NS_RSM } from './ns';

let queryCounter = 0;

export async function loadRoomHistory(connection: XmppConnection, hooks: AccountHooks, room: MultiUserContact, max: number): Promise<HistoryPage> {
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError(`The page size must be a positive integer, got ${JSON.stringify(max)}`);
  }
  queryCounter += 1;
  const queryid = `mucmam-${queryCounter}`;
  const collected: Element[] = [];
  const off = connection.addHandler(
    (stanza) => {
      const result = firstChild(stanza, 'result', NS_MAM);
      if (result?.getAttribute('queryid') === queryid && stanza.getAttribute('from')?.toLowerCase() === room.jid) {
        collected.push(result);
      }
    },
    { name: 'message' },
  );
  const before = room.oldestArchivedId;
  const iq = $iq({ type: 'set', to: room.jid }).c('query', { xmlns: NS_MAM, queryid }).c('set', { xmlns: NS_RSM }).c('max').t(String(max)).up();
  if (before) {
    iq.c('before').t(before);
  } else {
    iq.c('before');
  }
  let fin: Element | undefined;
  try {
    const answer = await connection.sendIQ(iq);
    fin = firstChild(answer, 'fin', NS_MAM);
  } catch (err) {
    throw requestError(room.jid, err);
  } finally {
    off();
  }
  const added: RoomMessage[] = [];
  // newest first, each prepended: the page ends up in its order before what we have
  for (const result of [...collected].reverse()) {
    const forwarded = firstChild(result, 'forwarded', NS_FORWARD);
    const inner = forwarded && firstChild(forwarded, 'message');
    if (!forwarded || !inner) continue;
    const incoming: IncomingStanza = { stanza: inner };
    await hooks.messageIn.run(incoming);
    if (incoming.handled) continue;
    const time = delayStamp(forwarded);
    const message = toRoomMessage(room, incoming.stanza, { stanzaId: result.getAttribute('id') ?? undefined, ...(time ? { time } : {}) });
    if (message) {
      message.delayed = true;
      const stored = room.addMessage(message, 'prepend');
      if (stored) added.push(stored);
    }
  }
  const set = fin && firstChild(fin, 'set', NS_RSM);
  const first = set && firstChild(set, 'first', NS_RSM)?.textContent;
  if (first) {
    room.setArchiveCursor(first);
  }
  const complete = fin?.getAttribute('complete') === 'true' || collected.length === 0;
  if (complete) {
    room.markHistoryComplete();
  }
  added.sort((a, b) => a.time.getTime() - b.time.getTime());
  return { messages: added, complete };
}
