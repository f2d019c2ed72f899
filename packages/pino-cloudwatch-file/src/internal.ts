/**
 * `pino-cloudwatch-file/internal`: the pieces the transport is built from, for this repository's
 * tests, benchmarks and reliability suite. Not part of the package's API: any release may rename,
 * change or remove them. Use the package's main entry (the factory, `validateOptions`, the option
 * types) and the documented subpaths (`/levels`, `/option-keys`, `/pino-config`).
 */
export { periodOf, parseSuffix, formatSuffix, type Period } from './period';
export { RecordShaper, CORE_KEYS, type LoggerConfig, type ShapeConfig } from './shape';
export { selectForDeletion, familyMembers, type FamilyFile } from './retention';
export { fitToLimit } from './truncate';
export { CloudWatchFileStream } from './transport';
export { Reporter } from './reporter';
export { SIMD_SCAN } from './plain-scan';
export { makeDirs } from './make-dirs';
