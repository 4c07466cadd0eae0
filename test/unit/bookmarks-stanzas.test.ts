import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { appendConference, appendLegacyStorage, Bookmark, NS_BOOKMARKS, NS_BOOKMARKS_LEGACY, parseBookmarkItems, parseLegacyStorage } from '../../src/plugins/bookmarks/stanzas';

function el(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
}

// XEP-0402 items result (as Prosody 0.12 answers), with a malformed and a foreign item.
const ITEMS = `<items xmlns="http://jabber.org/protocol/pubsub" node="urn:xmpp:bookmarks:1">
  <item id="theplay@conference.shakespeare.lit"><conference xmlns="urn:xmpp:bookmarks:1" name="The Play's the Thing" autojoin="true"><nick>JC</nick><password>cauldronburn</password></conference></item>
  <item id="orchard@conference.shakespeare.lit"><conference xmlns="urn:xmpp:bookmarks:1" autojoin="false"/></item>
  <item id="not a jid"><conference xmlns="urn:xmpp:bookmarks:1" autojoin="true"/></item>
  <item id="room@conference.shakespeare.lit/nick"><conference xmlns="urn:xmpp:bookmarks:1" autojoin="true"/></item>
  <item id="x@conference.shakespeare.lit"><something xmlns="urn:example"/></item>
</items>`;

// XEP-0048 private storage (XEP-0049 result payload).
const STORAGE = `<storage xmlns="storage:bookmarks">
  <conference name="Council of Oberon" autojoin="1" jid="council@conference.underhill.org"><nick>Puck</nick><password>titania</password></conference>
  <conference jid="quiet@conference.underhill.org"/>
  <url name="Complete Works" url="http://the-tech.mit.edu/Shakespeare/"/>
  <conference jid="@@bad" autojoin="true"/>
</storage>`;

it('reads XEP-0402 bookmarks, skipping malformed items', () => {
  expect(parseBookmarkItems(el(ITEMS))).toEqual([
    { jid: 'theplay@conference.shakespeare.lit', name: "The Play's the Thing", autojoin: true, nick: 'JC', password: 'cauldronburn' },
    { jid: 'orchard@conference.shakespeare.lit', autojoin: false },
  ]);
});

it('reads XEP-0048 bookmarks ("1" is true), ignoring URLs and malformed JIDs', () => {
  expect(parseLegacyStorage(el(STORAGE))).toEqual([
    { jid: 'council@conference.underhill.org', name: 'Council of Oberon', autojoin: true, nick: 'Puck', password: 'titania' },
    { jid: 'quiet@conference.underhill.org', autojoin: false },
  ]);
});

it('writes both formats so that they read back the same', () => {
  const list: Bookmark[] = [
    { jid: 'a@conference.localhost', name: 'A & <B>', autojoin: true, nick: 'me', password: 'pw' },
    { jid: 'b@conference.localhost', autojoin: false },
  ];
  const doc = new DOMParser().parseFromString('<query xmlns="jabber:iq:private"/>', 'text/xml');
  appendLegacyStorage(doc.documentElement as unknown as Element, list);
  const legacy = el(new XMLSerializer().serializeToString(doc as never)).getElementsByTagNameNS(NS_BOOKMARKS_LEGACY, 'storage')[0];
  expect(parseLegacyStorage(legacy)).toEqual(list);

  const items = new DOMParser().parseFromString('<items xmlns="http://jabber.org/protocol/pubsub"/>', 'text/xml');
  for (const b of list) {
    const item = items.createElement('item');
    item.setAttribute('id', b.jid);
    items.documentElement!.appendChild(item);
    appendConference(item as unknown as Element, b);
  }
  const xml = new XMLSerializer().serializeToString(items as never);
  expect(xml).toContain(`<conference xmlns="${NS_BOOKMARKS}" autojoin="true" name="A &amp; &lt;B&gt;">`);
  expect(parseBookmarkItems(el(xml))).toEqual(list);
});
