import { DOMParser } from '@xmldom/xmldom';
import { Roster } from '../../src/model/Roster';
import { parseRosterItem } from '../../src/protocol/roster';

// Recorded from Prosody 0.12: a roster result with groups, a pending subscription and junk.
const RESULT = `<iq xmlns="jabber:client" type="result" id="r1">
  <query xmlns="jabber:iq:roster" ver="3">
    <item jid="bob@localhost" subscription="both" name="Bob"><group>Friends</group><group>Friends</group><group>Work</group></item>
    <item jid="carol@localhost" subscription="none" ask="subscribe"/>
    <item jid="not a jid@@" subscription="both"/>
    <item subscription="both"/>
    <item jid="dave@localhost" subscription="bogus"/>
  </query>
</iq>`;

function items(xml: string): Element[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return Array.from(doc.getElementsByTagName('item')) as unknown as Element[];
}

describe('roster items', () => {
  it('parses names, groups (deduplicated), subscription and ask; skips malformed items', () => {
    const parsed = items(RESULT).map(parseRosterItem);
    expect(parsed[0]).toEqual({ jid: 'bob@localhost', name: 'Bob', groups: ['Friends', 'Work'], subscription: 'both', ask: undefined });
    expect(parsed[1]).toMatchObject({ jid: 'carol@localhost', subscription: 'none', ask: 'subscribe' });
    expect(parsed[2]).toBeUndefined();
    expect(parsed[3]).toBeUndefined();
    expect(parsed[4]).toMatchObject({ subscription: 'none' });
  });

  it('applies pushes: add, update, remove', () => {
    const roster = new Roster();
    const events: string[] = [];
    roster.on('added', (c) => events.push(`added ${c.jid}`));
    roster.on('removed', (c) => events.push(`removed ${c.jid}`));
    roster.on('changed', (c) => events.push(`changed ${c.jid}`));
    roster.apply({ jid: 'a@x', groups: [], subscription: 'both' });
    roster.apply({ jid: 'a@x', name: 'A', groups: [], subscription: 'both' });
    roster.get('a@x')!.setResourcePresence('phone', { show: 'away', status: 'lunch', priority: 0 });
    roster.apply({ jid: 'a@x', groups: [], subscription: 'remove' });
    expect(events).toEqual(['added a@x', 'changed a@x', 'changed a@x', 'removed a@x']);
  });

  it('shows the presence of the highest-priority resource', () => {
    const roster = new Roster();
    roster.reset([{ jid: 'a@x', groups: [], subscription: 'both' }]);
    const a = roster.get('a@x')!;
    expect(a.presence).toBe('offline');
    a.setResourcePresence('pc', { show: 'online', status: '', priority: 0 });
    a.setResourcePresence('phone', { show: 'xa', status: '', priority: 5 });
    expect(a.presence).toBe('xa');
    a.setResourcePresence('phone', undefined);
    expect(a.presence).toBe('online');
    a.setResourcePresence('', undefined);
    expect(a.presence).toBe('offline');
  });
});
