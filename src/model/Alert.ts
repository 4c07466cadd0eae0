/**
 * Something new a person should be told about with a chime and a desktop notification: a message
 * in a one-to-one chat, a mention of my nickname in a room, a private message in a room. With
 * several tabs of one browser, exactly one tab shows it (src/core/tabs, docs/session.md).
 */
export type Alert =
  | { kind: 'chat'; peer: string; body: string }
  | { kind: 'room'; room: string; nick: string; body: string; private: boolean };
