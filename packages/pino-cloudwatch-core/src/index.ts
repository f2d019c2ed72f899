/**
 * pino-cloudwatch-core: the rules the toolkit's packages share — levels, option checks and errors,
 * the pino config handshake of a transport, the CloudWatch line's keys and limits, the collision
 * rename rule. One module per concern; this entry only lists them.
 */
export {
  LEVEL_LABEL_PRESETS,
  LevelLabels,
  PINO_LEVELS,
  PYTHON_LEVEL_ALIASES,
  labelOf,
  labelsByNumber,
  levelMap,
  levelName,
  lowestLevel,
  normalizeLevel,
  parseLevelLabels,
  parsePairs,
  type LevelLabelMap,
  type LevelLabelsOption,
  type LevelMap,
  type NormalizeLevelOptions,
  type OptionFailure,
} from './levels';
export {
  OPTION_ERROR_CODE,
  OptionError,
  checkOptionsObject,
  describeValue,
  optionError,
} from './option-error';
export { HOST_KEYS, checkOptionKeys, isHostKey, nearestOption, type KeyCheck } from './option-keys';
export {
  pinoConfigHandshake,
  type HandshakeOptions,
  type KnownConfig,
  type PinoConfigHandshake,
} from './handshake';
export { PINO_CONFIG_WAIT_MS, type PinoConfig } from './pino-config';
export {
  CLOUDWATCH_EVENT_OVERHEAD_BYTES,
  CLOUDWATCH_MAX_EVENT_BYTES,
  CORE_KEYS,
  ERROR_KEY,
  MAX_EVENT_BYTES,
  STREAM_MAX_EVENT_BYTES,
  TRUNCATED_KEY,
} from './limits';
export { renamedKey } from './collision';
export { makeDirs } from './make-dirs';
