/**
 * Joining, leaving and nickname changes, and what room presence does to the models (XEP-0045
 * §7.1–§7.7, §9, §10). One instance per account session.
 */
import { $pres } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomList } from '../../model/RoomList';
import type { AccountHooks, OutgoingStanza } from '../Plugin';
import { MucError, mucErrorFromCondition } from './errors';
import { NS_MUC } from './ns';
import { leaveReason, MucPresence, parseMucPresence } from './presence';

interface Waiter {
  kind: 'join' | 'nick' | 'leave';
  nick: string;
  resolve: (codes: number[]) => void;
  reject: (error: MucError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export const JOIN_TIMEOUT = 20000;

export class Occupancy {
  private waiters = new Map<string, Waiter>();
  private joining = new Map<string, Promise<number[]>>();

  constructor(
    private readonly connection: XmppConnection,
    private readonly rooms: RoomList,
    private readonly hooks: AccountHooks,
  ) {}

  /** Registers the presence handler; returns its removal. */
  listen(): () => void {
    return this.connection.addHandler((stanza) => this.onPresence(stanza), { name: 'presence' });
  }

  /** Sends the join presence and resolves with the self-presence status codes (201: created). */
  join(room: MultiUserContact): Promise<number[]> {
    if (room.isJoined) {
      return Promise.resolve([]);
    }
    const pending = this.joining.get(room.jid);
    if (pending) {
      return pending;
    }
    const nick = room.nickname;
    room.setState('joining');
    const promise = this.wait(room, 'join', nick).finally(() => this.joining.delete(room.jid));
    this.joining.set(room.jid, promise);
    const pres = $pres({ to: `${room.jid}/${nick}` }).c('x', { xmlns: NS_MUC });
    if (room.password) {
      pres.c('password').t(room.password).up();
    }
    void this.sendPresence(pres.tree());
    return promise;
  }

  async leave(room: MultiUserContact): Promise<void> {
    const done = this.wait(room, 'leave', room.nickname).catch(() => undefined);
    void this.sendPresence($pres({ to: `${room.jid}/${room.nickname}`, type: 'unavailable' }).tree());
    await done;
    room.setState('left');
  }

  async changeNickname(room: MultiUserContact, nick: string): Promise<void> {
    const done = this.wait(room, 'nick', nick);
    void this.sendPresence($pres({ to: `${room.jid}/${nick}` }).tree());
    await done;
  }

  /** Our session ends: every room is left (and rejoined on the next session if still wanted). */
  detach(): void {
    for (const [jid, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new MucError('not-joined', { room: jid }));
    }
    this.waiters.clear();
    for (const room of this.rooms.all()) {
      if (room.state === 'joined' || room.state === 'joining') {
        room.setState('left');
      }
    }
  }

  private async sendPresence(stanza: Element): Promise<void> {
    const outgoing: OutgoingStanza = { stanza };
    await this.hooks.presenceOut.run(outgoing);
    if (!outgoing.cancelled) {
      this.connection.send(outgoing.stanza);
    }
  }

  private wait(room: MultiUserContact, kind: Waiter['kind'], nick: string): Promise<number[]> {
    this.waiters.get(room.jid)?.reject(new MucError('unknown', { room: room.jid, condition: 'superseded' }));
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(room.jid);
        const error = new MucError('timeout', { room: room.jid });
        if (kind === 'join') {
          room.setState('error', error);
        }
        reject(error);
      }, JOIN_TIMEOUT);
      this.waiters.set(room.jid, { kind, nick, resolve, reject, timer });
    });
  }

  private settle(room: string, outcome: { codes: number[] } | { error: MucError }): Waiter | undefined {
    const waiter = this.waiters.get(room);
    if (!waiter) {
      return undefined;
    }
    this.waiters.delete(room);
    clearTimeout(waiter.timer);
    if ('error' in outcome) {
      waiter.reject(outcome.error);
    } else {
      waiter.resolve(outcome.codes);
    }
    return waiter;
  }

  private onPresence(stanza: Element): void {
    const type = stanza.getAttribute('type');
    if (type && type !== 'unavailable' && type !== 'error') {
      return; // subscription requests and probes are not room presence
    }
    const p = parseMucPresence(stanza);
    if (!p || !p.nick) {
      return;
    }
    const room = this.rooms.get(p.room);
    if (!room) {
      return;
    }
    if (p.type === 'error') {
      this.onError(room, p);
      return;
    }
    const waiter = this.waiters.get(room.jid);
    const isSelf = p.codes.includes(110) || p.nick === room.nickname || (waiter !== undefined && waiter.kind !== 'leave' && p.nick === waiter.nick && p.type === 'available');
    if (isSelf) {
      this.onSelfPresence(room, p);
    } else if (p.type === 'unavailable') {
      room.removeOccupant(p.nick, leaveReason(p), p.item?.nick);
    } else {
      room.setOccupant({ nick: p.nick, ...(p.item?.jid ? { jid: p.item.jid } : {}), role: p.item?.role ?? 'participant', affiliation: p.item?.affiliation ?? 'none', presence: p.show, status: p.status, self: false });
    }
  }

  private onError(room: MultiUserContact, p: MucPresence): void {
    const waiter = this.waiters.get(room.jid);
    const error = mucErrorFromCondition(p.error?.condition ?? 'undefined-condition', { room: room.jid, nickname: p.nick });
    if (waiter && (waiter.nick === p.nick || waiter.kind === 'join')) {
      this.settle(room.jid, { error });
      if (waiter.kind === 'join') {
        room.setState('error', error);
      } else {
        room.reportError(error);
      }
    } else {
      room.reportError(error);
    }
  }

  private onSelfPresence(room: MultiUserContact, p: MucPresence): void {
    if (p.type === 'available') {
      if (p.nick !== room.nickname) {
        room.setNickname(p.nick); // our change, or the room's (status 210)
      }
      room.setOccupant({ nick: p.nick, ...(p.item?.jid ? { jid: p.item.jid } : {}), role: p.item?.role ?? 'participant', affiliation: p.item?.affiliation ?? 'none', presence: p.show, status: p.status, self: true });
      if (!room.isJoined) {
        room.setState('joined');
      }
      const waiter = this.waiters.get(room.jid);
      if (waiter && waiter.kind !== 'leave') {
        this.settle(room.jid, { codes: p.codes });
      }
      return;
    }
    const reason = leaveReason(p);
    if (reason === 'nick-change' && p.item?.nick) {
      room.removeOccupant(p.nick, reason, p.item.nick);
      room.setNickname(p.item.nick);
      return;
    }
    const waiter = this.waiters.get(room.jid);
    if (reason === 'left') {
      this.settle(room.jid, { codes: p.codes });
      room.setState('left');
      if (waiter?.kind !== 'leave') {
        room.wantJoined = false;
      }
      return;
    }
    const params = { room: room.jid, nickname: p.nick, ...(p.item?.reason ? { reason: p.item.reason } : {}), ...(p.item?.actor ? { actor: p.item.actor } : {}) };
    let error: MucError;
    switch (reason) {
      case 'kicked':
        error = new MucError('kicked', params);
        break;
      case 'banned':
        error = new MucError('removed-banned', params);
        break;
      case 'destroyed':
        error = new MucError('room-destroyed', { room: room.jid, ...(p.destroy?.reason ? { reason: p.destroy.reason } : {}), ...(p.destroy?.jid ? { alternateVenue: p.destroy.jid } : {}) });
        break;
      case 'shutdown':
        error = new MucError('service-unavailable', params);
        break;
      default:
        error = new MucError('removed-affiliation', params);
    }
    this.settle(room.jid, { error });
    room.wantJoined = false;
    room.setState('error', error);
  }
}
