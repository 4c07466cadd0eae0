import type { Account } from '../../model/Account';
import { ArchiveCursor, ArchivePageResult, loadOlderFromArchive } from '../../model/Chats';
import { JID } from '../../model/JID';
import { deliverIncoming } from '../chat/incoming';
import type { Plugin } from '../Plugin';
import { findSentInArchive } from './findSent';
import { ArchivedMessage, NS_MAM, queryArchive } from './query';

/**
 * Messages per archive page when scrolling back: Prosody's most (max_archive_query_results, 50 by
 * default; a larger <max/> is cut to it), and what Converse.js asks for. Fewer round trips.
 */
const PAGE = 50;
const CATCH_UP_PAGE = 100;
const CATCH_UP_PAGES = 20;

/** Feeds archived messages through the usual pipeline, marked as archived (no unread, no receipts). */
function deliverArchived(account: Account, archived: ArchivedMessage[], missed = false): Promise<void> {
  // after the live messages that arrived before this page's result
  return account.chats.inOrder(() => deliverPage(account, archived, missed));
}

async function deliverPage(account: Account, archived: ArchivedMessage[], missed: boolean): Promise<void> {
  // the page's new messages are written together, after it: one page record (src/model/HistoryRecords.ts)
  const history = await account.chats.history();
  await history.together(() => deliverEach(account, archived, missed));
}

async function deliverEach(account: Account, archived: ArchivedMessage[], missed: boolean): Promise<void> {
  for (const { archiveId, timestamp, message } of archived) {
    let fromBare = account.uid;
    try {
      fromBare = JID.parse(message.getAttribute('from') ?? account.uid).bare;
    } catch {
      continue;
    }
    await deliverIncoming(account, {
      stanza: message,
      forwarded: { by: 'mam', direction: fromBare === account.uid ? 'out' : 'in', timestamp, missed },
      stanzaId: archiveId,
    });
  }
}

/** One page of the archive with `peer`, older than `cursor`, fed through the usual pipeline (stored). */
async function fetchOlderPage(account: Account, peer: string, cursor: ArchiveCursor): Promise<ArchivePageResult> {
  const page = await queryArchive(account.xmpp, account.uid, {
    with: peer,
    max: PAGE,
    ...(cursor.before !== undefined ? { before: cursor.before } : cursor.end !== undefined ? { end: new Date(cursor.end).toISOString(), before: '' } : { before: '' }),
  });
  // asked for up to a time (the oldest message shown came from the store, not from an archive page):
  // the archive's stamps have whole seconds, so the page also holds what came later in that second,
  // e.g. what the contact wrote while we were away, before the catch-up brought it. Those are
  // delivered as the catch-up would (in order, placed in their second), not as older ones
  const boundary = cursor.before === undefined && cursor.end !== undefined ? Math.floor(cursor.end / 1000) * 1000 : Infinity;
  const isLater = (m: ArchivedMessage) => (m.timestamp ?? 0) >= boundary;
  const later = page.messages.filter(isLater);
  if (later.length > 0) {
    await deliverArchived(account, later, true);
  }
  // newest first: each one goes before those already loaded
  await deliverArchived(account, page.messages.filter((m) => !isLater(m)).reverse());
  return { ...(page.first ? { first: page.first } : {}), complete: page.complete || page.messages.length === 0 || !page.first };
}


/**
 * How far before its start a new session counts as covered: the archive's stamps are the server's
 * clock, and the login takes a few round trips. A message fetched twice is dropped by its stanza id.
 */
const SESSION_START_MARGIN = 60_000;

/**
 * After a new session, or a BOSH session taken up again: fetch everything since the newest message
 * we have. `sessionStart` (a new session's start) is then noted as seen, so a later catch-up of the
 * same account (a tab taking the session over, a reconnect) starts there at the latest — also when
 * no message was stored yet, e.g. one lost in the last answer of a tab that closed.
 */
async function catchUp(account: Account, sessionStart: number | undefined): Promise<number> {
  const history = await account.chats.history();
  const since = await history.lastSeen();
  let count = 0;
  let complete = true;
  if (since !== undefined) {
    let after: string | undefined;
    complete = false;
    for (let i = 0; i < CATCH_UP_PAGES && !complete; i++) {
      const page = await queryArchive(account.xmpp, account.uid, { start: new Date(since).toISOString(), max: CATCH_UP_PAGE, ...(after ? { after } : {}) });
      await deliverArchived(account, page.messages, true);
      count += page.messages.length;
      complete = page.complete || !page.last;
      after = page.last;
    }
  }
  // nothing stored before a fresh login: chats load their history from the archive when opened
  if (sessionStart !== undefined && complete) {
    await history.noteSeen(sessionStart - SESSION_START_MARGIN);
  }
  return count;
}

/**
 * XEP-0313: older history as the user scrolls up (Chat.loadOlder asks here once IndexedDB has
 * nothing older), and on each new session the messages missed since the newest one stored.
 */
export const mamPlugin: Plugin = {
  id: 'mam',
  name: 'Message archive',
  xeps: [{ id: 'XEP-0313', name: 'Message Archive Management', version: '1.1.0' }],
  features: [],
  requires: ['chat'],
  attach({ account, connection, resumed }) {
    account.chats.archiveOlderPage = (peer, cursor) => fetchOlderPage(account, peer, cursor);
    account.chats.archive = (chat) => loadOlderFromArchive(chat, (peer, cursor) => fetchOlderPage(account, peer, cursor));
    // an outbox message whose ack was lost goes out again only if the archive does not have it
    account.chats.findSent = (message, since) => findSentInArchive(account, message, since);
    // Catch up once the session is complete, i.e. after our initial presence: until the server has
    // it, messages to us go only to the archive (Prosody) — one that came after an earlier query
    // would be missed. After the presence, new ones come live (duplicates drop by stanza id).
    // A re-attached BOSH session (page load, another tab taking over) is the same server session,
    // but what the server wrote into the previous page's last pending request never arrived
    // (XEP-0124 has no acknowledgements): it catches up too.
    const sessionStart = resumed ? undefined : Date.now();
    const off =
      !resumed || connection.transport === 'bosh'
        ? account.on('session', () => {
            off();
            void catchUp(account, sessionStart).catch((err) => console.warn('[jsxc] could not fetch the messages missed while offline:', err instanceof Error ? err.message : err));
          })
        : () => undefined;
    return () => {
      off();
      account.chats.archive = undefined;
      account.chats.archiveOlderPage = undefined;
      account.chats.findSent = undefined;
    };
  },
};

export { NS_MAM };
