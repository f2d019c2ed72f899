/**
 * pino-cloudwatch-file: the transport factory (default export), the option check it runs and the
 * option types. The pieces it is built from are `pino-cloudwatch-file/internal`, outside the API.
 */
export { build as default, CONFIG_WAIT_MS } from './build';
export { OPTION_NAMES, validateOptions } from './options';
export { keepLoggedName } from './logged-name';
export type { CloudWatchFileOptions, Frequency, RetentionOptions, Settings } from './options';
