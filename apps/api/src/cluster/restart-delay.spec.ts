import { restartDelayMs } from './restart-delay.js';

describe('restartDelayMs', () => {
  it('replaces a worker that ran a while at once, and backs off on deaths in a row up to 30 s', () => {
    expect([0, 1, 2, 3, 4].map(restartDelayMs)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(restartDelayMs(7)).toBe(30_000);
    expect(restartDelayMs(1000)).toBe(30_000);
  });
});
