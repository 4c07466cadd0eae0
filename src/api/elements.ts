/**
 * The API takes jQuery elements (manual §3.1.7–3.1.8), plain DOM elements, or selectors. jQuery
 * itself is not a dependency: a jQuery object is recognised by its shape.
 */
interface JQueryLike {
  jquery: string;
  length: number;
  get(index: number): unknown;
}

export type ElementInput = Element | JQueryLike | string;

function isJQuery(value: unknown): value is JQueryLike {
  return typeof value === 'object' && value !== null && typeof (value as JQueryLike).jquery === 'string' && typeof (value as JQueryLike).get === 'function';
}

/** Resolves an element argument; throws a TypeError naming the argument when nothing matches. */
export function toElement<T extends Element>(input: unknown, argument: string, kind: new () => T): T {
  let el: unknown = input;
  if (isJQuery(input)) {
    el = input.length > 0 ? input.get(0) : undefined;
  } else if (typeof input === 'string') {
    el = document.querySelector(input) ?? undefined;
  }
  if (!(el instanceof kind)) {
    const what = el === undefined || el === null ? 'no element' : el instanceof Element ? `a <${el.tagName.toLowerCase()}>` : `a ${typeof el}`;
    throw new TypeError(`${argument} must be a ${kind.name} (a jQuery object, a DOM element or a selector), got ${what}`);
  }
  return el;
}
