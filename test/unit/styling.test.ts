/**
 * @jest-environment jsdom
 */
import { safeUrl } from '../../src/ui/chat/links';
import { meAction, renderBody, STYLE_LIMIT } from '../../src/ui/chat/styling';

function render(body: string): HTMLElement {
  const el = document.createElement('div');
  renderBody(el, body);
  return el;
}

/** The rendered structure as a compact string: tags with their text. */
function shape(node: Node): string {
  if (node.nodeType === 3) return node.textContent!;
  const el = node as Element;
  if (el.classList?.contains('jsxc-styling-directive')) return '';
  const inner = Array.from(el.childNodes).map(shape).join('');
  return el.tagName === 'DIV' ? inner : `<${el.tagName.toLowerCase()}>${inner}</${el.tagName.toLowerCase()}>`;
}

describe('XEP-0393 message styling', () => {
  it.each([
    ['*bold*', '<strong>bold</strong>'],
    ['_em_ and ~strike~', '<em>em</em> and <s>strike</s>'],
    ['`*not bold*`', '<code>*not bold*</code>'],
    ['*outer _inner_*', '<strong>outer <em>inner</em></strong>'],
    ['a*b*c', 'a*b*c'], // the opening directive needs whitespace or the line start before it
    ['* not bold*', '* not bold*'], // …and no whitespace after it
    ['*not bold *', '*not bold *'], // the closing one no whitespace before it
    ['**', '**'], // spans are not empty
    ['*one\ntwo*', '*one\ntwo*'], // spans do not cross lines
    ['```\n*raw*\n```\nafter', '<pre>*raw*</pre>\nafter'],
    ['```\nunclosed *raw*', '<pre>unclosed *raw*</pre>'],
    ['> quoted *bold*\n> more\nplain', '<blockquote>quoted <strong>bold</strong>\nmore</blockquote>\nplain'],
    ['>> nested', '<blockquote><blockquote>nested</blockquote></blockquote>'],
  ])('%j renders as %j', (body, expected) => {
    expect(shape(render(body))).toBe(expected);
  });

  it('keeps the directives visible, so the text is exactly the body', () => {
    expect(render('*bold* _em_ `c`').textContent).toBe('*bold* _em_ `c`');
  });

  it('never turns markup into elements', () => {
    const el = render('<img src=x onerror=alert(1)> *<b>x</b>*');
    expect(el.querySelector('img, b')).toBeNull();
    expect(el.textContent).toBe('<img src=x onerror=alert(1)> *<b>x</b>*');
  });

  it('replaces control characters and leaves very long bodies unstyled', () => {
    expect(render('a\u0001b\u009bc').textContent).toBe('a\ufffdb\ufffdc');
    const long = '*x* '.repeat(STYLE_LIMIT);
    const el = render(long);
    expect(el.querySelector('strong')).toBeNull();
    expect(el.textContent).toBe(long);
  });

  it('copes with pathological input: thousands of unmatched directives, a wall of quote marks', () => {
    const unmatched = ' *a'.repeat(6000);
    const el = render(unmatched);
    expect(el.querySelector('strong')).toBeNull();
    expect(el.textContent).toBe(unmatched);
    const wall = '>'.repeat(15000) + ' deep';
    const quoted = render(wall);
    expect(quoted.querySelectorAll('blockquote')).toHaveLength(8);
    expect(quoted.textContent).toContain('> deep');
  });
});

describe('links', () => {
  it('only http, https, xmpp and mailto become links, opening in a new tab without an opener', () => {
    const el = render('go https://example.org/a?b=1, mailto:x@y.org xmpp:me@x.org javascript:alert(1) data:text/html,x ftp://x.org');
    const links = Array.from(el.querySelectorAll('a')).map((a) => [a.getAttribute('href'), a.rel, a.target]);
    expect(links).toEqual([
      ['https://example.org/a?b=1', 'noopener noreferrer', '_blank'],
      ['mailto:x@y.org', 'noopener noreferrer', '_blank'],
      ['xmpp:me@x.org', 'noopener noreferrer', '_blank'],
    ]);
    expect(el.textContent).toContain('javascript:alert(1)');
  });

  it('trailing punctuation and unbalanced parentheses stay outside the link', () => {
    const el = render('(see https://en.wikipedia.org/wiki/A_(b)). Done');
    expect(el.querySelector('a')!.getAttribute('href')).toBe('https://en.wikipedia.org/wiki/A_(b)');
  });

  it('no links inside code', () => {
    expect(render('`https://example.org`').querySelector('a')).toBeNull();
  });

  it('safeUrl refuses other schemes', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl(' JAVASCRIPT:alert(1)')).toBeUndefined();
    expect(safeUrl('https://x.org')?.href).toBe('https://x.org/');
  });
});

it('/me (XEP-0245)', () => {
  expect(meAction('/me waves')).toBe('waves');
  expect(meAction('/meh')).toBeUndefined();
  expect(meAction('say /me x')).toBeUndefined();
});
