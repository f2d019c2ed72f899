/**
 * pino-cloudwatch-file: the transport factory (default export), the option check it runs, the
 * option types and `keepLoggedName`. The rules it shares with the toolkit's other packages (levels,
 * option errors, pino's config) are `pino-cloudwatch-core`.
 */
import { validateOptions as validate, type CloudWatchFileOptions } from './options';

export { build as default } from './build';
export { OPTION_NAMES } from './options';
export { keepLoggedName } from './logged-name';
export type { CloudWatchFileOptions, Frequency, RetentionOptions } from './options';

/** What {@link validateOptions} returns: the options the transport will use, defaults applied. */
export interface CheckedFileOptions {
  /** The absolute base path of the files. */
  readonly file: string;
  /** The folder of the files. */
  readonly dir: string;
  readonly app: string;
  readonly process: string;
  /** Whether the transport creates a missing folder. */
  readonly mkdir: boolean;
  /** The mode of a folder it creates. */
  readonly dirMode: number;
  /** Largest line in bytes, newline excluded. */
  readonly maxEventBytes: number;
}

/**
 * Checks options the way the transport does at start, without starting it: throws the error (an
 * `OptionError`, `code` `ERR_PINO_CLOUDWATCH_OPTION`) the transport would throw.
 */
export const validateOptions: (options: CloudWatchFileOptions) => CheckedFileOptions = validate;
