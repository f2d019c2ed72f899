// ESM entry: the package is compiled to CommonJS; this re-exports it for `import`. Named exports
// only (no default export: the toolkit's convention, .changeset/README.md); packaging/test/esm-entries.test.ts
// checks that the names are those of the CommonJS build.
import cjs from '../dist/index.js';

export const {
  CLOUDWATCH_EVENT_OVERHEAD_BYTES,
  CLOUDWATCH_MAX_EVENT_BYTES,
  CORE_KEYS,
  ERROR_KEY,
  HOST_KEYS,
  LEVEL_LABEL_PRESETS,
  LevelLabels,
  MAX_EVENT_BYTES,
  STREAM_MAX_EVENT_BYTES,
  OPTION_ERROR_CODE,
  OptionError,
  PINO_CONFIG_WAIT_MS,
  PINO_LEVELS,
  PYTHON_LEVEL_ALIASES,
  TRUNCATED_KEY,
  checkOptionKeys,
  checkOptionsObject,
  describeValue,
  isHostKey,
  labelOf,
  labelsByNumber,
  levelMap,
  levelName,
  makeDirs,
  lowestLevel,
  nearestOption,
  normalizeLevel,
  optionError,
  parseLevelLabels,
  parsePairs,
  pinoConfigHandshake,
  renamedKey,
} = cjs;
