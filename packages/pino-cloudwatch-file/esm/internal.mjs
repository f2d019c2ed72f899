// ESM entry of `pino-cloudwatch-file/internal` (not part of the API): re-exports the CommonJS build.
import cjs from '../dist/internal.js';

export const {
  periodOf,
  parseSuffix,
  formatSuffix,
  RecordShaper,
  CORE_KEYS,
  selectForDeletion,
  familyMembers,
  fitToLimit,
  CloudWatchFileStream,
  Reporter,
  SIMD_SCAN,
  makeDirs,
  resolveSettings,
} = cjs;
