import type { MucError } from '../plugins/muc/errors';
import type { LeaveReason } from '../plugins/muc/presence';
import type { ContactEvents } from './Contact';
import type { Occupant } from './Occupant';
import type { RoomMessage } from './RoomMessage';
import type { RoomInfo } from './RoomList';

/** The events and plain settings of a group chat (RoomModel). */

/**
 * Where we are with a room: "left" (not in it), "joining", "joined", or out of it because of
 * something the room did ("error": see `lastError` — kicked, banned, destroyed, a failed join…).
 */
export type RoomState = 'left' | 'joining' | 'joined' | 'error';

export interface RoomEvents extends ContactEvents {
  state: [RoomState];
  /** the occupants list changed (someone came, left, changed role, affiliation, presence or nick); `occupant`: who came or changed */
  occupants: [occupant?: Occupant];
  'occupant-joined': [Occupant];
  'occupant-left': [Occupant, LeaveReason];
  'occupant-nick': [Occupant, string];
  /** a new message in the timeline (live, history or archive); `RoomMessage.mentionsMe` flags mentions */
  message: [RoomMessage, mode: 'append' | 'prepend'];
  /** a message of the timeline (room or private) was corrected (XEP-0308): its `body` is the new text, `corrected` is set */
  corrected: [RoomMessage];
  /**
   * a message of the timeline learned the ids the server gave it: the room's stanza-id (XEP-0359),
   * from the room's reflection of our message or an archive copy of one we had without it; our origin-id
   */
  'message-ids': [RoomMessage];
  /** the room refused one of our messages (`errorKey` is now set on it) */
  'message-error': [RoomMessage, MucError];
  /** one of our refused messages is being sent again (MultiUserContact.retryMessage): its `errorKey` is cleared */
  'message-retry': [RoomMessage];
  subject: [subject: string, by: string | undefined];
  /** our own nickname changed (by us, or by the room: status 210) */
  nickname: [string];
  /** something the room answered that a person should be told */
  error: [MucError];
  /** disco#info about the room was (re)read */
  info: [RoomInfo];
  /** the list of our messages waiting for the room's reflection changed (`pendingMessages`) */
  pending: [];
  /** the user has read the room (in this tab or, several tabs, in another): the unread count is 0 in every tab */
  read: [];
  /** someone we invited declined (XEP-0045 §7.8.2): their bare JID (the room's when it does not say), and their reason */
  'invitation-declined': [by: string, reason: string | undefined];
}

/** What a room is beyond its events (several tabs: mirrored to the tabs without the connection). */
export interface RoomSettings {
  name?: string;
  bookmark?: RoomBookmark;
  wantJoined: boolean;
  nickname: string;
  historyComplete: boolean;
}

export interface RoomBookmark {
  autojoin: boolean;
  /** the name the bookmark gives the room */
  name?: string;
}
