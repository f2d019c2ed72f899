// ESM entry of `pino-cloudwatch-file/pino-config`: re-exports the CommonJS build.
import cjs from '../dist/pino-config.js';

export const { PINO_CONFIG_WAIT_MS, isPinoConfigMessage, expectsPinoConfig, listenForPinoConfig } = cjs;
