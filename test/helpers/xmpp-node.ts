import { $iq, $msg, $pres } from 'strophe.js';
import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { getTestServer, TestUser } from './test-server';

/** A second party: an Account in Node over the test server's WebSocket. */
export function nodeAccount(user: TestUser): Account {
  return new Account({ url: getTestServer().wsUrl, jid: JID.parse(user.jid), connectTimeout: 10000 });
}

/** Polls until `check` returns something truthy; fails naming `what` after `timeout` ms. */
export async function until<T>(what: string, check: () => T | Promise<T>, timeout = 5000): Promise<Exclude<T, undefined | null | false | '' | 0>> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, undefined | null | false | '' | 0>;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Publishes a vCard with this photo and announces its hash in presence (XEP-0153). */
export async function publishVCardAvatar(account: Account, image: Buffer, hash: string, type = 'image/png'): Promise<void> {
  await account.xmpp.sendIQ(
    $iq({ type: 'set' }).c('vCard', { xmlns: 'vcard-temp' }).c('FN').t('Avatar owner').up().c('PHOTO').c('TYPE').t(type).up().c('BINVAL').t(image.toString('base64')),
  );
  account.xmpp.send($pres().c('x', { xmlns: 'vcard-temp:x:update' }).c('photo').t(hash));
}

/** Publishes an avatar to PEP: data, then metadata (XEP-0084 §4). */
export async function publishPepAvatar(account: Account, image: Buffer, hash: string, type = 'image/png'): Promise<void> {
  await account.xmpp.sendIQ(
    $iq({ type: 'set' }).c('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' }).c('publish', { node: 'urn:xmpp:avatar:data' }).c('item', { id: hash }).c('data', { xmlns: 'urn:xmpp:avatar:data' }).t(image.toString('base64')),
  );
  await account.xmpp.sendIQ(
    $iq({ type: 'set' })
      .c('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' })
      .c('publish', { node: 'urn:xmpp:avatar:metadata' })
      .c('item', { id: hash })
      .c('metadata', { xmlns: 'urn:xmpp:avatar:metadata' })
      .c('info', { id: hash, bytes: String(image.length), type, width: '64', height: '64' }),
  );
}

/** Collects the bodies of chat messages an account receives. */
export function collectMessages(account: Account): string[] {
  const bodies: string[] = [];
  account.xmpp.addHandler(
    (m) => {
      const body = m.getElementsByTagName('body')[0];
      if (body) bodies.push(body.textContent ?? '');
    },
    { name: 'message' },
  );
  return bodies;
}

export function sendChat(account: Account, to: string, body: string): void {
  account.xmpp.send($msg({ to, type: 'chat' }).c('body').t(body));
}

/** Other parties as Node clients, logged in on demand and all logged out at the end. */
export class NodeParties {
  private accounts: Account[] = [];

  async online(user: TestUser): Promise<Account> {
    const account = nodeAccount(user);
    this.accounts.push(account);
    await account.connect(user.password);
    return account;
  }

  async disconnectAll(): Promise<void> {
    await Promise.all(this.accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
  }
}
