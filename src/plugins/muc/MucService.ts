/**
 * The "muc" plugin for one account session: implements RoomProtocol (what MultiUserContact
 * calls) from the parts in this folder, rejoins wanted rooms on a new session and self-pings.
 */
import type { Account } from '../../model/Account';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { Affiliation, Role } from '../../model/Occupant';
import type { RoomMessage, RoomMessageIds } from '../../model/RoomMessage';
import type { HistoryPage, RoomInfo, RoomInvitation, RoomListing, RoomProtocol } from '../../model/RoomList';
import { checkDataForm, DataForm } from '../../protocol/dataForm';
import type { AccountContext } from '../Plugin';
import { whenOnline } from '../whenOnline';
import { RoomAdmin } from './admin';
import { MucError } from './errors';
import { catchUpRoomHistory, findOwnInRoomArchive, loadRoomHistory } from './history';
import { RoomMessages } from './messages';
import { Occupancy } from './occupancy';
import { PendingRoomMessages } from './pendingRoomMessages';
import { PrivateHistory } from './privateHistory';
import { findOwnPrivateInArchive, receiveForwardedPrivate } from './privateMessages';
import { RoomOutbox } from './roomOutbox';
import { startSelfPing } from './selfPing';

export class MucService implements RoomProtocol {
  private readonly account: Account;
  private readonly occupancy: Occupancy;
  private readonly messages: RoomMessages;
  private readonly admin: RoomAdmin;
  private readonly outbox: RoomOutbox;
  private readonly pendingStore: PendingRoomMessages;
  private readonly privateHistory: PrivateHistory;
  private conferenceService: Promise<string | undefined> | undefined;

  constructor(
    private readonly context: AccountContext,
    private readonly selfPingInterval: number,
  ) {
    this.account = context.account;
    this.occupancy = new Occupancy(context.connection, this.account.rooms, context.hooks);
    this.messages = new RoomMessages(context.connection, this.account.rooms, context.hooks, this.account.uid);
    this.admin = new RoomAdmin(context.connection);
    this.privateHistory = new PrivateHistory(context.connection, this.account.uid);
    this.pendingStore = new PendingRoomMessages(() => this.account.chats.storage());
    this.outbox = new RoomOutbox(
      (room, ids, since, to) =>
        to === undefined ? findOwnInRoomArchive(context.connection, context.hooks, room, ids, since) : findOwnPrivateInArchive(context.connection, this.account.uid, context.hooks, room, ids, since),
      // the room outbox keeps them until confirmed: not re-sent blindly after a failed resumption
      (stanza) => this.messages.send(stanza, { forOutbox: true }),
      (room) => this.pendingStore.save(room),
      (stanza) => this.messages.sendAcked(stanza, { forOutbox: true }),
    );
  }

  attach(): () => void {
    const rooms = this.account.rooms;
    rooms.protocol = this;
    if (!this.context.resumed) {
      // joined as another tab saw it (this tab took the connection over with a new session): this
      // session is in no room — before our first presence, which goes to the rooms we are in
      rooms.all().filter((r) => r.isJoined).forEach((r) => r.setState('left'));
    }
    const offPending = this.trackPending();
    const offPresence = this.occupancy.listen();
    const offMessages = this.messages.listen();
    // private messages from our archive's catch-up (or carbons) go into their room, not a one-to-one chat
    const offForwarded = this.context.hooks.messageIn.add('muc', (incoming) => receiveForwardedPrivate(rooms, incoming), 70);
    // our availability (away, dnd, status text) goes to the rooms we are in too (XEP-0045 §7.7)
    const offPresenceOut = this.context.hooks.presenceOut.add(
      'muc',
      ({ stanza }) => {
        if (stanza.getAttribute('to') || stanza.getAttribute('type')) {
          return;
        }
        for (const room of rooms.all().filter((r) => r.isJoined)) {
          const copy = stanza.cloneNode(true) as Element;
          copy.setAttribute('to', `${room.jid}/${room.nickname}`);
          this.context.connection.send(copy);
        }
      },
      80,
    );
    const pinger = startSelfPing(this.context.connection, () => rooms.all(), (room) => this.join(room), this.selfPingInterval);
    const offOnline = whenOnline(this.account, () => {
      if (this.context.resumed) {
        // after a resumed stream: are we still in our rooms? A re-attached BOSH session (another
        // tab's, taken over) may have lost what the previous page's last request carried
        void pinger
          .pingAll()
          .then(() => (this.context.connection.transport === 'bosh' ? this.catchUp() : undefined))
          .then(() => this.flushPending(rooms.all().filter((r) => r.isJoined)));
      } else {
        for (const room of rooms.all().filter((r) => r.wantJoined)) {
          void this.join(room)
            .then(() => this.flushPending([room]))
            .catch(() => undefined); // the room's error is on the model
        }
      }
    });
    this.pingAll = pinger.pingAll;
    return () => {
      offOnline();
      offPending();
      pinger.stop();
      offPresence();
      offMessages();
      offForwarded();
      offPresenceOut();
      this.occupancy.detach();
      if (rooms.protocol === this) {
        rooms.protocol = undefined;
      }
    };
  }

  /**
   * Our unconfirmed room messages in storage: each room takes the stored ones (left by an earlier
   * page or session) and keeps the store in step; when it is joined, they are looked for in the
   * room and sent again if missing.
   */
  private trackPending(): () => void {
    const rooms = this.account.rooms;
    const tracked = new Map<MultiUserContact, () => void>();
    const track = (room: MultiUserContact) => {
      if (tracked.has(room)) {
        return;
      }
      const offStore = this.pendingStore.track(room);
      const offState = room.on('state', (state) => {
        if (state === 'joined' && room.pendingMessages.length > 0) {
          void this.flushPending([room]);
        }
      });
      // a room joined before its stored entries were read: they go out now
      void this.pendingStore.restored(room).then(() => (room.isJoined && room.pendingMessages.length > 0 ? this.flushPending([room]) : undefined));
      tracked.set(room, () => {
        offStore();
        offState();
      });
    };
    rooms.all().forEach(track);
    const offAdded = rooms.on('added', track);
    const offRemoved = rooms.on('removed', (room) => {
      tracked.get(room)?.();
      tracked.delete(room);
    });
    return () => {
      offAdded();
      offRemoved();
      tracked.forEach((off) => off());
      tracked.clear();
    };
  }

  /** Fetches what joined rooms said after the newest message we have. */
  private async catchUp(): Promise<void> {
    for (const room of this.account.rooms.all().filter((r) => r.isJoined)) {
      await catchUpRoomHistory(this.context.connection, this.context.hooks, room).catch((err: unknown) => console.warn(`[jsxc] could not fetch what ${room.jid} said meanwhile:`, err instanceof Error ? err.message : err));
    }
  }

  /** Our messages (and private messages) an earlier leader tab, page or session left unconfirmed: looked for, sent again if missing. */
  private async flushPending(rooms: MultiUserContact[]): Promise<void> {
    for (const room of rooms.filter((r) => r.pendingMessages.length > 0)) {
      await this.outbox.flush(room);
    }
  }

  /** Self-pings every joined room now (also done periodically). */
  pingAll: () => Promise<void> = () => Promise.resolve();

  async join(room: MultiUserContact): Promise<void> {
    const wasJoined = room.isJoined;
    const codes = await this.occupancy.join(room);
    const created = codes.includes(201);
    if (created && (room.password || room.name)) {
      await this.admin.configure(room, {
        ...(room.name ? { 'muc#roomconfig_roomname': room.name } : {}),
        ...(room.password ? { 'muc#roomconfig_passwordprotectedroom': true, 'muc#roomconfig_roomsecret': room.password } : {}),
      });
    }
    await this.fetchInfo(room).catch(() => undefined);
    if (!wasJoined && !created) {
      // (the info's answer came after the room's join history) our private messages in the room,
      // from our own archive: not awaited, a failure only logs
      void this.privateHistory.onJoined(room);
    }
  }

  leave(room: MultiUserContact): Promise<void> {
    return this.occupancy.leave(room);
  }

  destroy(room: MultiUserContact, reason?: string, alternateVenue?: string): Promise<void> {
    return this.admin.destroy(room, reason, alternateVenue);
  }

  getConfigurationForm(room: MultiUserContact): Promise<DataForm> {
    return this.admin.getConfigurationForm(room);
  }

  submitConfigurationForm(room: MultiUserContact, form: DataForm): Promise<void> {
    return this.admin.submitConfigurationForm(room, checkDataForm(form));
  }

  async fetchInfo(room: MultiUserContact): Promise<RoomInfo> {
    const info = await this.admin.fetchInfo(room.jid);
    room.setInfo(info);
    return info;
  }

  sendMessage(room: MultiUserContact, body: string, ids?: RoomMessageIds): Promise<RoomMessage> {
    return this.outbox.send(room, body, ids);
  }

  sendPrivateMessage(room: MultiUserContact, nick: string, body: string, ids?: RoomMessageIds): Promise<RoomMessage> {
    return this.outbox.sendPrivate(room, nick, body, ids);
  }

  setSubject(room: MultiUserContact, subject: string): Promise<void> {
    return this.messages.setSubject(room, subject);
  }

  changeNickname(room: MultiUserContact, nick: string): Promise<void> {
    return this.occupancy.changeNickname(room, nick);
  }

  setRole(room: MultiUserContact, nick: string, role: Role, reason?: string): Promise<void> {
    return this.admin.setRole(room, nick, role, reason);
  }

  setAffiliation(room: MultiUserContact, jid: string, affiliation: Affiliation, reason?: string): Promise<void> {
    return this.admin.setAffiliation(room, jid, affiliation, reason);
  }

  getAffiliationList(room: MultiUserContact, affiliation: Affiliation): Promise<Array<{ jid: string; nick?: string }>> {
    return this.admin.getAffiliationList(room, affiliation);
  }

  invite(room: MultiUserContact, jid: string, reason: string | undefined, kind: 'direct' | 'mediated'): Promise<void> {
    return this.messages.invite(room, jid, reason, kind);
  }

  declineInvitation(invitation: RoomInvitation, reason: string | undefined): Promise<void> {
    return this.messages.declineInvitation(invitation, reason);
  }

  async loadHistory(room: MultiUserContact, max: number): Promise<HistoryPage> {
    const page = await loadRoomHistory(this.context.connection, this.context.hooks, room, max);
    // our private messages in the room over the time the page covers (a failure only logs)
    const privately = await this.privateHistory.onOlderPage(room);
    return privately.length === 0 ? page : { ...page, messages: [...page.messages, ...privately].sort((a, b) => a.time.getTime() - b.time.getTime()) };
  }

  findConferenceService(): Promise<string | undefined> {
    this.conferenceService ??= this.admin.findConferenceService(this.account.uid.split('@')[1]);
    return this.conferenceService;
  }

  async browse(service?: string): Promise<RoomListing[]> {
    const target = service ?? (await this.findConferenceService());
    if (!target) {
      throw new MucError('service-unavailable', { room: 'the server' });
    }
    return this.admin.browse(target);
  }
}
