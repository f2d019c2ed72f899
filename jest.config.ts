import type { Config } from 'jest';

/** One jest project per workspace; ts-jest compiles the tests and the sources they import. */
const project = (dir: string, depth = 2): Config => ({
  preset: 'ts-jest',
  testEnvironment: 'node',
  displayName: dir.split('/').pop(),
  rootDir: dir,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: `<rootDir>/${'../'.repeat(depth)}tsconfig.tests.json` }],
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
});

const config: Config = {
  projects: [
    project('packages/pino-cloudwatch-core'),
    project('packages/pino-cloudwatch-file'),
    project('packages/pino-pretty-extras'),
    project('packages/pino-request-context'),
    project('packages/pino-cloudwatch-setup'),
    project('packages/pino-cloudwatch-metrics'),
    project('packages/logs-insights-local'),
    project('packages/test-support'),
    project('demo-fastify', 1),
    project('cloudwatch-agent', 1),
    project('reliability', 1),
    project('packaging', 1),
  ],
  collectCoverageFrom: [
    'packages/*/src/**/*.ts',
    'demo-fastify/src/**/*.ts',
    '!**/*.test.ts',
    '!**/test/**',
    '!**/test-*.ts',
  ],
  coverageReporters: ['text-summary', 'lcov'],
  testTimeout: 60_000,
};

export default config;
