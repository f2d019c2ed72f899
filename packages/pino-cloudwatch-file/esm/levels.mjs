// ESM entry of `pino-cloudwatch-file/levels`: re-exports the CommonJS build.
import cjs from '../dist/levels.js';

export const {
  PINO_DEFAULT_LEVELS,
  LEVEL_LABEL_PRESETS,
  parseLevelLabels,
  labelOf,
  labelsByNumber,
  LevelLabels,
} = cjs;
