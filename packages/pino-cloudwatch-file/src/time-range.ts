/**
 * Which record times the transport takes as they are. The CloudWatch agent drops events more than
 * 14 days old or more than 2 hours ahead of its clock ("out of accepted time range"); a time outside
 * that window would also choose a file name far from the clock's (a name in year 58884 from a
 * microsecond clock, `NaN` from one past the range of Date) and, since names never go back, every
 * later record would follow it there. So a record whose time is outside the window is written at
 * the clock's time, with the time it carried kept as `invalidTime`, and never names a file.
 */
export const ACCEPTED_PAST_MS = 14 * 86_400_000;
export const ACCEPTED_AHEAD_MS = 2 * 3_600_000;

/** Whether `time` (epoch ms) is one the agent accepts next to the clock reading `now`. */
export function isAcceptedTime(time: number, now: number): boolean {
  return time >= now - ACCEPTED_PAST_MS && time <= now + ACCEPTED_AHEAD_MS;
}
