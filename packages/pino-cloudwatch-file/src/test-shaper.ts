import { RecordShaper, type ShapeConfig } from './shape';

/** The record time the shaping tests log at, and the clock they run with. */
export const FIXED_TIME = Date.UTC(2025, 11, 13, 12, 30, 45, 123);

/** A shaper with the tests' defaults (UTC, no pid or hostname, the clock at FIXED_TIME). */
export function testShaper(overrides: Partial<ShapeConfig> = {}): RecordShaper {
  return new RecordShaper({
    app: 'cw_demo',
    process: 'cw_demo',
    pid: false,
    hostname: false,
    utc: true,
    maxEventBytes: 262_118,
    levelLabels: {},
    now: () => FIXED_TIME,
    ...overrides,
  });
}
