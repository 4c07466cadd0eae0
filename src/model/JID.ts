/**
 * A Jabber ID (RFC 7622): [localpart@]domainpart[/resourcepart].
 * Parsing is strict enough to reject what a user may mistype (spaces, empty parts, several @),
 * without trying to implement full PRECIS.
 */
export class JIDError extends TypeError {
  constructor(public readonly input: string, reason: string) {
    super(`Malformed JID "${input}": ${reason}`);
    this.name = 'JIDError';
  }
}

const FORBIDDEN_LOCAL = /[\s"&'/:<>@]/u;
const FORBIDDEN_DOMAIN = /[\s@/"&'<>\\]/u;

export class JID {
  readonly local: string;
  readonly domain: string;
  readonly resource: string;

  constructor(local: string, domain: string, resource = '') {
    this.local = local;
    this.domain = domain;
    this.resource = resource;
  }

  static parse(input: string): JID {
    if (typeof input !== 'string') {
      throw new JIDError(String(input), 'a JID must be a string');
    }
    if (input.length === 0) {
      throw new JIDError(input, 'it is empty');
    }
    const slash = input.indexOf('/');
    const bare = slash >= 0 ? input.slice(0, slash) : input;
    const resource = slash >= 0 ? input.slice(slash + 1) : '';
    if (slash >= 0 && resource.length === 0) {
      throw new JIDError(input, 'the resource after "/" is empty');
    }
    const at = bare.indexOf('@');
    const local = at >= 0 ? bare.slice(0, at) : '';
    const domain = (at >= 0 ? bare.slice(at + 1) : bare).toLowerCase().replace(/\.$/, '');
    if (at >= 0 && local.length === 0) {
      throw new JIDError(input, 'the part before "@" is empty');
    }
    if (FORBIDDEN_LOCAL.test(local)) {
      throw new JIDError(input, 'the local part contains a character that is not allowed');
    }
    if (domain.length === 0) {
      throw new JIDError(input, 'the domain is empty');
    }
    if (FORBIDDEN_DOMAIN.test(domain) || domain.startsWith('.') || domain.includes('..')) {
      throw new JIDError(input, 'the domain is not valid');
    }
    // a UTF-16 code unit is at most 3 UTF-8 bytes: only long parts need encoding to be checked
    if ([local, domain, resource].some((part) => part.length > 341 && new TextEncoder().encode(part).length > 1023)) {
      throw new JIDError(input, 'a part is longer than 1023 bytes');
    }
    return new JID(local.toLowerCase(), domain, resource);
  }

  /** A JID from a remote party's attribute: undefined when it is missing or not a valid JID. */
  static tryParse(input: string | null | undefined): JID | undefined {
    if (!input) {
      return undefined;
    }
    try {
      return JID.parse(input);
    } catch {
      return undefined;
    }
  }

  /** Parses a JID that must name a user account (local@domain, resource optional). */
  static parseUser(input: string): JID {
    const jid = JID.parse(input);
    if (!jid.local) {
      throw new JIDError(input, 'a user JID needs a local part, like user@example.org');
    }
    return jid;
  }

  get bare(): string {
    return this.local ? `${this.local}@${this.domain}` : this.domain;
  }

  get full(): string {
    return this.resource ? `${this.bare}/${this.resource}` : this.bare;
  }

  withResource(resource: string): JID {
    return new JID(this.local, this.domain, resource);
  }

  equals(other: JID): boolean {
    return this.full === other.full;
  }

  toString(): string {
    return this.full;
  }
}
