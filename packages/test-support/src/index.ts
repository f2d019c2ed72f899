/**
 * pino-cloudwatch-test-support (private, never published): what the toolkit's test suites share —
 * the seeded PRNG, hand-written fixtures, and test-only versions of pure helpers that are not public
 * API of any package.
 */
export { prng } from './prng';
export { allStrings } from './strings';
export { EXPECTED_CORE_KEYS, EXPECTED_DEFAULT_LABELS } from './fixtures';
export { parseUtcSuffix, utcPeriodName, type SuffixStyle } from './file-names';
