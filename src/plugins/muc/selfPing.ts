/**
 * XEP-0410 MUC self-ping: a room can drop us without telling (a server restart, a lost presence).
 * Pinging our own occupant JID tells: "not-acceptable" (or "item-not-found") means we are not in the
 * room any more, and we rejoin silently.
 */
import { $iq } from 'strophe.js';
import { StanzaError } from '../../connection/errors';
import type { XmppConnection } from '../../connection/XmppConnection';
import type { MultiUserContact } from '../../model/MultiUserContact';
import { NS_PING } from '../ping';

export type SelfPingResult = 'joined' | 'not-joined' | 'unknown';

export async function selfPing(connection: XmppConnection, room: MultiUserContact, timeout = 10000): Promise<SelfPingResult> {
  try {
    await connection.sendIQ($iq({ type: 'get', to: `${room.jid}/${room.nickname}` }).c('ping', { xmlns: NS_PING }), timeout);
    return 'joined';
  } catch (err) {
    const condition = err instanceof StanzaError ? err.condition : '';
    if (condition === 'service-unavailable' || condition === 'feature-not-implemented') {
      return 'joined'; // our client got the ping but does not answer pings: still in the room
    }
    if (condition === 'not-acceptable' || condition === 'item-not-found') {
      return 'not-joined';
    }
    return 'unknown'; // timeout or the room's server unreachable: try again next time
  }
}

/** Pings every joined room every `interval` ms, and rejoins those that dropped us. */
export function startSelfPing(connection: XmppConnection, rooms: () => MultiUserContact[], rejoin: (room: MultiUserContact) => Promise<void>, interval: number): { stop(): void; pingAll(): Promise<void> } {
  let running = false;
  const pingAll = async () => {
    if (running) return;
    running = true;
    try {
      await Promise.all(
        rooms()
          .filter((room) => room.isJoined)
          .map(async (room) => {
            if ((await selfPing(connection, room)) === 'not-joined' && room.wantJoined) {
              room.setState('left');
              await rejoin(room).catch(() => undefined);
            }
          }),
      );
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pingAll(), interval);
  return {
    stop: () => clearInterval(timer),
    pingAll,
  };
}
