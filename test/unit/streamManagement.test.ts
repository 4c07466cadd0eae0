import type { SMState } from 'strophe.js';
import { MemoryStorageBackend } from 'strophe.js';
import { BufferedStreamState, PERSIST_DELAY } from '../../src/connection/streamManagement';

function state(hIn: number): SMState {
  return { enableSent: true, enabled: true, id: 'sm-1', boundJid: 'a@b/c', max: 300, location: null, resumeSupported: true, resumed: false, hIn, hOutAcked: 0, unacked: [], sinceLastAck: 0 } as unknown as SMState;
}

describe('BufferedStreamState (XEP-0198 state in Web Storage, written lazily)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes the newest values of the live state within PERSIST_DELAY, not on every change', () => {
    const backend = new MemoryStorageBackend();
    const save = jest.spyOn(backend, 'save');
    const buffered = new BufferedStreamState(backend);
    const live = state(1);
    for (let i = 0; i < 100; i++) {
      live.hIn = i;
      buffered.save('k', live);
    }
    expect(save).not.toHaveBeenCalled();
    jest.advanceTimersByTime(PERSIST_DELAY);
    expect(save).toHaveBeenCalledTimes(1);
    expect(backend.load('k')!.hIn).toBe(99);
  });

  it('flush() writes at once; load() sees what was saved; clear() drops what was pending', () => {
    const backend = new MemoryStorageBackend();
    const buffered = new BufferedStreamState(backend);
    buffered.save('k', state(5));
    expect(buffered.load('k')!.hIn).toBe(5);
    buffered.save('k', state(6));
    buffered.flush();
    expect(backend.load('k')!.hIn).toBe(6);
    buffered.save('k', state(7));
    buffered.clear('k');
    jest.advanceTimersByTime(PERSIST_DELAY);
    expect(backend.load('k')).toBeNull();
  });
});
