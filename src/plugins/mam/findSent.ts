import type { Account } from '../../model/Account';
import { JID } from '../../model/JID';
import type { Message } from '../../model/Message';
import { firstChild } from '../../protocol/xml';
import { NS_SID } from '../stanza-id';
import { queryArchive } from './query';

/** How far before the first attempt the archive is searched: the server's clock may differ from ours. */
const CLOCK_MARGIN = 5 * 60 * 1000;
const PAGE = 25;
const PAGES = 4;

/** Whether an archived stanza is one we sent, with one of these ids (origin-id or id attribute). */
function isOurs(stanza: Element, ownBareJid: string, ids: Set<string>): boolean {
  try {
    if (JID.parse(stanza.getAttribute('from') ?? '').bare !== ownBareJid) {
      return false;
    }
  } catch {
    return false;
  }
  const originId = firstChild(stanza, 'origin-id', NS_SID)?.getAttribute('id');
  const id = stanza.getAttribute('id');
  return (!!originId && ids.has(originId)) || (!!id && ids.has(id));
}

/**
 * Before an un-acknowledged outgoing message is sent again (the tab that sent it closed, or its
 * stream dropped, before the server's ack): whether our own archive (XEP-0313) already has it, i.e.
 * the earlier send reached the server. Searches the conversation with its peer from shortly before
 * `since` (the first attempt), newest first, a few pages at most.
 */
export async function findSentInArchive(account: Account, message: Message, since: number): Promise<boolean> {
  const ids = new Set([message.originId, message.stanzaIdAttr, message.id].filter((id): id is string => !!id));
  const start = new Date(since - CLOCK_MARGIN).toISOString();
  let before = '';
  for (let i = 0; i < PAGES; i++) {
    const page = await queryArchive(account.xmpp, account.uid, { with: message.peer, start, max: PAGE, before });
    if (page.messages.some((archived) => isOurs(archived.message, account.uid, ids))) {
      return true;
    }
    if (page.complete || !page.first || page.messages.length === 0) {
      return false;
    }
    before = page.first;
  }
  return false;
}
