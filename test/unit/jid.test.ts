import { JID, JIDError } from '../../src/model/JID';

describe('JID', () => {
  it('parses local, domain and resource', () => {
    const jid = JID.parse('Klaus@JSXC.org/desktop');
    expect(jid.local).toBe('klaus');
    expect(jid.domain).toBe('jsxc.org');
    expect(jid.resource).toBe('desktop');
    expect(jid.bare).toBe('klaus@jsxc.org');
    expect(jid.full).toBe('klaus@jsxc.org/desktop');
  });

  it('keeps a resource that contains "/" and "@"', () => {
    expect(JID.parse('a@b/c/d@e').resource).toBe('c/d@e');
  });

  it.each([
    ['', /empty/],
    ['@example.org', /before "@" is empty/],
    ['user@', /domain is empty/],
    ['us er@example.org', /not allowed/],
    ['a@b@c', /domain is not valid/],
    ['user@example.org/', /resource after "\/" is empty/],
    ['user@exa mple.org', /domain is not valid/],
  ])('rejects %j', (input, reason) => {
    expect(() => JID.parse(input)).toThrow(JIDError);
    expect(() => JID.parse(input)).toThrow(reason);
  });

  it('requires a local part for user accounts', () => {
    expect(() => JID.parseUser('example.org')).toThrow(/needs a local part/);
  });
});
