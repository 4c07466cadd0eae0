// The bundle builds src/ui/handlebarsException.ts in place of the Handlebars runtime's Exception
// (webpack.config.js): a template error must still look the same to whoever catches it.
import Exception from '../../src/ui/handlebarsException';
const Original = require('handlebars/dist/cjs/handlebars/exception') as typeof Exception;

type Fields = Record<string, unknown>;
const construct = (E: typeof Exception, ...args: unknown[]): Fields => new (E as unknown as new (...a: unknown[]) => Fields)(...args);

describe('the Handlebars Exception built into the bundle', () => {
  const cases: Array<[string, unknown[]]> = [
    ['a message only', ['"name" not defined in [object Object]']],
    ['a location', ['"room" not defined', { loc: { start: { line: 3, column: 4 }, end: { line: 3, column: 12 } } }]],
    ['a start without end', ['partial', { loc: { start: { line: 1, column: 0 } } }]],
    ['a node without location', ['missing', {}]],
  ];

  test.each(cases)('is an Error with the same fields as the original for %s', (_what, args) => {
    const ours = construct(Exception, ...args);
    const theirs = construct(Original, ...args);
    expect(ours).toBeInstanceOf(Error);
    expect(ours).toBeInstanceOf(Exception);
    for (const field of ['message', 'name', 'lineNumber', 'endLineNumber', 'column', 'endColumn']) {
      expect(ours[field]).toEqual(theirs[field]);
    }
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect(String(ours.stack)).toContain(String(theirs.message));
  });

  test('creates no Error when it is defined (only when thrown)', () => {
    expect(Object.getPrototypeOf(Exception.prototype)).toBe(Error.prototype);
    expect(Object.prototype.hasOwnProperty.call(Exception.prototype, 'stack')).toBe(false);
  });
});
