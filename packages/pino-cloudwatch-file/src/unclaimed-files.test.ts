import { UNCLAIMED_MS, UnclaimedTracker } from './unclaimed-files';

describe('UnclaimedTracker', () => {
  test('an older file is reported once it has stood beside a newer one for UNCLAIMED_MS', () => {
    const tracker = new UnclaimedTracker();
    expect(tracker.update(['app.log.1', 'app.log.2'], 0)).toEqual([]);
    expect(tracker.update(['app.log.1', 'app.log.2'], UNCLAIMED_MS - 1)).toEqual([]);
    expect(tracker.update(['app.log.1', 'app.log.2', 'app.log.3'], UNCLAIMED_MS)).toEqual(['app.log.1']);
  });

  test('the newest file is never reported, and a file that went away is timed afresh if it comes back', () => {
    const tracker = new UnclaimedTracker();
    tracker.update(['app.log.1', 'app.log.2'], 0);
    expect(tracker.update(['app.log.2'], 1)).toEqual([]);
    expect(tracker.update(['app.log.1', 'app.log.2'], UNCLAIMED_MS)).toEqual([]);
    expect(tracker.update(['app.log.1', 'app.log.2'], 2 * UNCLAIMED_MS)).toEqual(['app.log.1']);
  });
});
