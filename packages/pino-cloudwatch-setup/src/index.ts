export { ENVIRONMENTS, PINO_LEVELS, PYTHON_LEVEL_ALIASES } from './constants';
export { normalizeLevel } from './levels';
export { loggingOptions } from './logging-options';
export { resolveLoggingConfig } from './resolve-config';
export { closeLogging, setupLogging } from './setup-logging';
export type * from './types';
