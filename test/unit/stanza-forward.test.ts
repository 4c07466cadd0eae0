import { parseStanza } from '../../src/connection/stanzaForward';

// A follower tab's stanza for the leader's connection (docs/plugins.md, "Several tabs"): only one
// well-formed message, presence or iq is sent on; anything else would end the leader's stream.
describe('parseStanza', () => {
  it('takes a message, a presence and an iq', () => {
    expect(parseStanza('<message xmlns="jabber:client" to="a@b.c" type="chat"><body>hi</body></message>').getAttribute('to')).toBe('a@b.c');
    expect(parseStanza('<presence xmlns="jabber:client"/>').nodeName).toBe('presence');
    expect(parseStanza('<iq xmlns="jabber:client" type="get" id="1"/>').getAttribute('id')).toBe('1');
  });

  it.each([['undefined'], ['<message><body>unclosed</message>'], ['<stream:features xmlns:stream="http://etherx.jabber.org/streams"/>'], ['<open/>'], [''], [undefined], [42]])('refuses %p', (xml) => {
    expect(() => parseStanza(xml)).toThrow('Not a stanza from another tab');
  });
});
