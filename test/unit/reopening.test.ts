import type { Account } from '../../src/model/Account';
import type { StoredWindow } from '../../src/ui/OpenWindows';
import { Reopening } from '../../src/ui/Reopening';

// A window reopened after a page load whose code (a chunk) is still loading must stay in the list
// of open windows, or a save in the meantime would forget it.
const alice = { uid: 'alice@example.org' } as Account;
const bob = { uid: 'bob@example.org' } as Account;
const stored: StoredWindow = { kind: 'groupchat', jid: 'tea@conference.example.org', minimized: true, nick: 'alice' };

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

it('lists a window as stored (without its kind) while it is on its way, for its account only', () => {
  const reopening = new Reopening<string>();
  void reopening.track('tea', alice, stored, deferred<object>().promise);
  expect(reopening.list(alice, () => false)).toEqual([{ jid: 'tea@conference.example.org', minimized: true, nick: 'alice' }]);
  expect(reopening.list(bob, () => false)).toEqual([]);
});

it('stops listing it as soon as the window shows, and once it has opened', async () => {
  const reopening = new Reopening<string>();
  const opening = deferred<string>();
  const opened = reopening.track('tea', alice, stored, opening.promise);
  // the window shows (the provider lists it itself) before the promise settles: never listed twice
  expect(reopening.list(alice, () => true)).toEqual([]);
  opening.resolve('window');
  await expect(opened).resolves.toBe('window');
  expect(reopening.list(alice, () => false)).toEqual([]);
});

it('keeps listing a window whose code could not be loaded, so the next page load tries again', async () => {
  const reopening = new Reopening<string>();
  const opening = deferred<string>();
  const opened = reopening.track('tea', alice, stored, opening.promise);
  opening.reject(new Error('chunk failed'));
  await expect(opened).rejects.toThrow('chunk failed');
  expect(reopening.list(alice, () => false)).toHaveLength(1);
});
