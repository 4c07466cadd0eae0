import { backoffDelay } from '../../src/connection/backoff';

describe('backoffDelay (reconnect schedule)', () => {
  const low = (n: number) => backoffDelay(n, { random: () => 0 });
  const high = (n: number) => backoffDelay(n, { random: () => 0.999999 });

  it('doubles from 1 s and is capped at 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map(high)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('jitters within [½·d, d], so clients that lost the same server do not return in lock-step', () => {
    expect([0, 1, 2, 10].map(low)).toEqual([500, 1000, 2000, 30000]);
    const samples = Array.from({ length: 200 }, () => backoffDelay(3));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(4000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(8000);
    expect(new Set(samples).size).toBeGreaterThan(10);
  });

  it('treats odd attempt numbers safely', () => {
    expect(high(-3)).toBe(1000);
    expect(high(2.7)).toBe(4000);
  });
});
