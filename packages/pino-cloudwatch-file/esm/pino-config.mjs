// ESM entry of `pino-cloudwatch-file/pino-config`: re-exports the CommonJS build.
import cjs from '../dist/pino-config.js';

export const {
  PINO_CONFIG_WAIT_MS,
  HOST_LEVELS_PINO_VERSIONS,
  CONFIG_ARRIVED_LATE,
  ConfigWait,
  isPinoConfigMessage,
  expectsPinoConfig,
  listenForPinoConfig,
  hostLevels,
  hostLevelsMismatch,
  configFallbackMessage,
} = cjs;
