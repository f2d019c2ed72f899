/** pino-cloudwatch-file: the transport factory (default export) and the pieces it is built from. */
export { build as default, CONFIG_WAIT_MS } from './build';
export { OPTION_NAMES, validateOptions } from './options';
export type { CloudWatchFileOptions, Frequency, RetentionOptions, Settings } from './options';
export { periodOf, parseSuffix, formatSuffix, type Period } from './period';
export { RecordShaper, CORE_KEYS, type LoggerConfig, type ShapeConfig } from './shape';
export { selectForDeletion, familyMembers, type FamilyFile } from './retention';
export { fitToLimit } from './truncate';
export { CloudWatchFileStream } from './transport';
