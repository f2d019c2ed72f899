import build from 'pino-cloudwatch-file';
import type { MetricsSettings } from './options';

/** pino's number for `info`: the level of every EMF record (the line's `level` is `INFO`). */
const INFO = 30;

/** Writes EMF objects as lines; `end` resolves once everything is on disk and the files are closed. */
export interface LineWriter {
  /** The lines of one write of the metrics, handed over together (one chunk, one write to the file). */
  write(emfs: readonly string[], time: number): void;
  end(): Promise<void>;
}

/**
 * The file family: `pino-cloudwatch-file` in this thread (`build`, its in-process form), fed pino's
 * record shape — `{"level":30,"time":…,"name":…` and then the EMF members — so each line gets the
 * transport's `@timestamp`, `level`, `logger`, `app`, `process` and `message` in front and the same
 * rotation, quiet gap and retention as the application's files. A write is a few hundred bytes to a few
 * kilobytes once per interval, so no worker thread is spent on it. Lines written before the stream is
 * ready (it is made asynchronously) wait for it.
 */
export function fileWriter(settings: MetricsSettings, onError: (err: unknown) => void): LineWriter {
  const options = settings.file!;
  const prefix = `{"level":${INFO},"time":`;
  const name = `,"name":${JSON.stringify(settings.loggerName)},`;
  let stream: Awaited<ReturnType<typeof build>> | undefined;
  let waiting: string[] = [];
  const ready = build(options).then(
    (made) => {
      stream = made;
      stream.on('error', onError);
      for (const line of waiting) stream.write(line);
      waiting = [];
    },
    (err: unknown) => {
      onError(err);
    },
  );
  return {
    write(emfs, time) {
      let chunk = '';
      for (const emf of emfs) chunk += `${prefix}${time}${name}${emf.slice(1)}\n`;
      if (stream === undefined) waiting.push(chunk);
      else stream.write(chunk);
    },
    async end() {
      await ready;
      const open = stream;
      if (open === undefined || open.destroyed) return;
      await new Promise<void>((resolve) => {
        open.once('close', () => resolve());
        open.once('error', () => resolve());
        open.end();
      });
    },
  };
}

/** A user's destination: each EMF object is one line as it is. */
export function destinationWriter(settings: MetricsSettings): LineWriter {
  const destination = settings.destination!;
  return {
    write(emfs) {
      for (const emf of emfs) destination.write(`${emf}\n`);
    },
    async end() {},
  };
}

/**
 * Through the application's pino logger: each EMF object is logged by a child named `loggerName` at
 * `info`, so it reaches the logger's transport as a record like the file writer's and is written with
 * the application's own lines by their one writer (on a shared pipe, two writers could put one's bytes
 * inside the other's lines). The logger's transport is the application's to close, after `close()`.
 */
export function loggerWriter(settings: MetricsSettings): LineWriter {
  const child = settings.logger!.child({ name: settings.loggerName });
  return {
    write(emfs) {
      for (const emf of emfs) child.info(JSON.parse(emf) as object);
    },
    async end() {},
  };
}
