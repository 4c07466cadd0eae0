/**
 * The Handlebars runtime's `Exception` (handlebars/dist/cjs/handlebars/exception.js, MIT, same
 * behaviour), which webpack.config.js builds into the bundle in place of the original.
 *
 * The one difference: the original sets `Exception.prototype = new Error()` while the bundle is
 * evaluated. Creating an Error there is cheap in a plain page, but with an inspector attached
 * (DevTools open, or the benchmark's CDP session) V8 records a detailed stack trace for every new
 * Error, which needs the source positions of every function on the stack: at that moment the
 * stack is the whole bundle (the script, webpack's factory, its runtime scope and the module
 * scope), so V8 parsed the whole bundle four more times on the main thread before the log-in button
 * could show
 * (docs/architecture.md, "Start-up"). `Object.create(Error.prototype)` gives instances the same
 * prototype chain (`instanceof Error`, inherited `constructor`) without creating an Error.
 */
const ERROR_PROPS = ['description', 'fileName', 'lineNumber', 'endLineNumber', 'message', 'name', 'number', 'stack'];

interface Position {
  line: number;
  column: number;
}

function Exception(this: Record<string, unknown>, message: string, node?: { loc?: { start?: Position; end?: Position } }): void {
  const loc = node && node.loc;
  let line: number | undefined;
  let endLineNumber: number | undefined;
  let column: number | undefined;
  let endColumn: number | undefined;
  if (loc && loc.start) {
    line = loc.start.line;
    column = loc.start.column;
    if (loc.end) {
      endLineNumber = loc.end.line;
      endColumn = loc.end.column;
    }
    message += ' - ' + line + ':' + column;
  }
  const tmp = Error.prototype.constructor.call(this, message) as unknown as Record<string, unknown>;
  for (const prop of ERROR_PROPS) {
    this[prop] = tmp[prop];
  }
  const { captureStackTrace } = Error as { captureStackTrace?: (target: object, constructor: unknown) => void };
  if (captureStackTrace) {
    captureStackTrace.call(Error, this, Exception);
  }
  if (loc) {
    this.lineNumber = line;
    this.endLineNumber = endLineNumber;
    Object.defineProperty(this, 'column', { value: column, enumerable: true });
    Object.defineProperty(this, 'endColumn', { value: endColumn, enumerable: true });
  }
}

Exception.prototype = Object.create(Error.prototype);

export default Exception;
