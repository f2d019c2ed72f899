import { OwnedTimer } from './owned-timer';

describe('OwnedTimer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('once runs after the delay; starting it again replaces the pending run', () => {
    const timer = new OwnedTimer();
    const runs: string[] = [];
    timer.once(100, () => runs.push('first'));
    timer.once(200, () => runs.push('second'));
    jest.advanceTimersByTime(150);
    expect(runs).toEqual([]);
    jest.advanceTimersByTime(100);
    expect(runs).toEqual(['second']);
    expect(timer.running).toBe(false);
  });

  test('stop cancels a pending run and a repetition', () => {
    const timer = new OwnedTimer();
    let runs = 0;
    timer.every(10, () => runs++);
    timer.every(10, () => (runs += 100)); // already repeating: not a second interval
    jest.advanceTimersByTime(35);
    expect(runs).toBe(3);
    timer.stop();
    jest.advanceTimersByTime(100);
    expect(runs).toBe(3);
    expect(timer.running).toBe(false);
  });

  test('delays beyond what setTimeout takes are capped, not run at once', () => {
    const timer = new OwnedTimer();
    let ran = false;
    timer.once(2 ** 40, () => (ran = true));
    jest.advanceTimersByTime(1000);
    expect(ran).toBe(false);
    timer.stop();
  });
});
