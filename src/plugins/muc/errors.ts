/**
 * Everything a room can answer that a person should be told, as typed errors: `kind` for code,
 * `localeKey` for the UI (locales/*.json, with `params` as interpolation values) and an English
 * `message` for logs and API callers.
 */
export type MucErrorKind =
  | 'nickname-in-use'
  | 'not-a-member'
  | 'banned'
  | 'wrong-password'
  | 'room-not-found'
  | 'service-unavailable'
  | 'room-destroyed'
  | 'kicked'
  | 'removed-banned'
  | 'removed-affiliation'
  | 'not-allowed'
  | 'not-joined'
  | 'recipient-not-in-room'
  | 'disabled'
  | 'timeout'
  | 'unknown';

export interface MucErrorParams {
  room: string;
  /** our nickname; for recipient-not-in-room: the occupant a private message was for */
  nickname?: string;
  /** for nickname-in-use: a nickname to offer instead */
  suggestedNickname?: string;
  /** for room-destroyed, kicked, banned: what the room or the moderator said */
  reason?: string;
  /** for room-destroyed: where the room's people went */
  alternateVenue?: string;
  /** for not-allowed: the XMPP condition */
  condition?: string;
  /** for kicked/banned: who did it (nickname), if the room says */
  actor?: string;
}

const MESSAGES: Record<MucErrorKind, (p: MucErrorParams) => string> = {
  'nickname-in-use': (p) => `The nickname "${p.nickname}" is already in use in ${p.room}. Try another one, like "${p.suggestedNickname}".`,
  'not-a-member': (p) => `${p.room} is for members only, and you are not a member.`,
  banned: (p) => `You are banned from ${p.room}.`,
  'wrong-password': (p) => `${p.room} needs a password, and the one given is wrong or missing.`,
  'room-not-found': (p) => `The room ${p.room} does not exist.`,
  'service-unavailable': (p) => `The group chat service of ${p.room} is unavailable, or the room is full.`,
  'room-destroyed': (p) => `The room ${p.room} was destroyed${p.reason ? `: ${p.reason}` : ''}.${p.alternateVenue ? ` Its people moved to ${p.alternateVenue}.` : ''}`,
  kicked: (p) => `You were kicked from ${p.room}${p.actor ? ` by ${p.actor}` : ''}${p.reason ? `: ${p.reason}` : ''}.`,
  'removed-banned': (p) => `You were banned from ${p.room}${p.actor ? ` by ${p.actor}` : ''}${p.reason ? `: ${p.reason}` : ''}.`,
  'removed-affiliation': (p) => `You were removed from ${p.room}, as it is for members only now or your membership was taken away.`,
  'not-allowed': (p) => `${p.room} does not allow this (${p.condition}).`,
  'not-joined': (p) => `You are not in the room ${p.room}.`,
  'recipient-not-in-room': (p) => `${p.nickname} is not in ${p.room} (left, or not back yet): the message was not delivered.`,
  disabled: (p) => `Group chat is disabled, so ${p.room} cannot be used.`,
  timeout: (p) => `${p.room} did not answer in time.`,
  unknown: (p) => `${p.room} answered with an error${p.condition ? ` (${p.condition})` : ''}.`,
};

export class MucError extends Error {
  /** e.g. "muc_error_nickname_in_use" in locales/en.json; `params` are its values */
  readonly localeKey: string;

  constructor(
    readonly kind: MucErrorKind,
    readonly params: MucErrorParams,
  ) {
    super(MESSAGES[kind](params));
    this.name = 'MucError';
    this.localeKey = `muc_error_${kind.replace(/-/g, '_')}`;
  }
}

/** The XMPP error condition of a MUC join / request, turned into what it means (XEP-0045 §7.2). */
export function mucErrorFromCondition(condition: string, params: MucErrorParams): MucError {
  switch (condition) {
    case 'conflict':
      return new MucError('nickname-in-use', { ...params, suggestedNickname: `${params.nickname ?? ''}_` });
    case 'registration-required':
      return new MucError('not-a-member', params);
    case 'forbidden':
      return new MucError('banned', params);
    case 'not-authorized':
      return new MucError('wrong-password', params);
    case 'item-not-found':
      return new MucError('room-not-found', params);
    case 'service-unavailable':
    case 'remote-server-not-found':
    case 'remote-server-timeout':
      return new MucError('service-unavailable', params);
    case 'timeout':
      return new MucError('timeout', params);
    case 'gone':
      return new MucError('room-destroyed', params);
    default:
      return new MucError(condition === 'not-allowed' || condition === 'not-acceptable' ? 'not-allowed' : 'unknown', { ...params, condition });
  }
}

/** One line of text for a person: a locale key and its interpolation values. */
export interface LocalizedText {
  key: string;
  values: Record<string, string>;
}

/**
 * What the UI shows for a MucError: the main sentence, then (if the room said) the reason and
 * the alternative venue, each its own locale key.
 */
export function mucErrorTexts(error: MucError): LocalizedText[] {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(error.params)) {
    if (typeof v === 'string') values[k] = v;
  }
  const lines: LocalizedText[] = [{ key: error.localeKey, values }];
  if (error.params.reason) {
    lines.push({ key: 'muc_error_reason', values: { reason: error.params.reason } });
  }
  if (error.params.actor) {
    lines.push({ key: 'muc_error_actor', values: { actor: error.params.actor } });
  }
  if (error.params.alternateVenue) {
    lines.push({ key: 'muc_error_alternate_venue', values: { alternateVenue: error.params.alternateVenue } });
  }
  return lines;
}
