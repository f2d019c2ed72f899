export { loggingOptions } from './logging-options';
export { resolveLoggingConfig } from './resolve-config';
export { closeLogging, setupLogging } from './setup-logging';
export type * from './types';
