/**
 * `pino-cloudwatch-file/internal`: the pieces the transport is built from, for this repository's
 * own tests, benchmarks and reliability suite only — no published package imports it. Not part of
 * the package's API: any release may rename, change or remove them. Use the package's main entry
 * (the factory, `validateOptions`, the option types) and `pino-cloudwatch-core` (levels, option
 * errors, the CloudWatch line's keys and limits).
 */
export { periodOf, parseSuffix, formatSuffix, type Period } from './period';
export { RecordShaper, CORE_KEYS, type LoggerConfig, type ShapeConfig } from './shape';
export { selectForDeletion, familyMembers, type FamilyFile } from './retention';
export { fitToLimit } from './truncate';
export { CloudWatchFileStream } from './transport';
export { Reporter } from './reporter';
export { SIMD_SCAN } from './plain-scan';
export { makeDirs } from './make-dirs';
export { validateOptions as resolveSettings, type Settings } from './options';
