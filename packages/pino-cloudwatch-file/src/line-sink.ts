/**
 * Where shaped lines go: the period files (`RotatingFile`) or a standard stream (`DescriptorSink`).
 * The transport hands over whole lines only, in batches, and asks before each line whether its time
 * opens a new file (a stream never does).
 */
export interface LineSink {
  /** True when a line of this time belongs in a file after the open one: what came before goes first. */
  startsNewFile(time: number): boolean;
  /** Finishes the open file and makes the one for `time` current (after `startsNewFile` said so). */
  rotateFor(time: number): void;
  /** Whole lines, each ending with a newline. */
  write(data: Buffer): void;
  /** Everything written so far reaches its destination before this returns. */
  flush(): void;
  close(): void;
}
