import path from 'node:path';
import { closeLogging, setupLogging } from 'pino-cloudwatch-setup';
import { createRequestContexts, cycleLevelOnSignal } from 'pino-request-context';
import { traceMixin } from 'pino-request-context/trace';
import { buildApp } from './app';
import { loggingConfig, readConfig } from './config';
import { gracefulShutdown } from './graceful-shutdown';
import { listenErrorMessage } from './listen-error';
import { readMetricsConfig, startRequestMetrics } from './metrics';

/** Start-up: read the config, build the logger and the app, listen; signals close it gracefully. */
function main(): void {
  let config;
  let logger;
  let metricsConfig;
  let requestContexts;
  try {
    config = readConfig();
    metricsConfig = readMetricsConfig(config);
    // Debug records per request, written only before an error of that request (or sampled).
    requestContexts = createRequestContexts({ sampleRate: config.debugSampleRate });
    logger = setupLogging({ ...loggingConfig(config), requestContexts }, { mixin: traceMixin() });
  } catch (err) {
    process.stderr.write(`demo-fastify: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }

  const app = buildApp({ logger, requestContexts });
  // Production: per-route request metrics as EMF lines in files of their own beside the logs (or on
  // standard output with LOG_OUTPUT=stdout).
  const metrics = metricsConfig && startRequestMetrics(app, metricsConfig);
  gracefulShutdown({ logger, closeFirst: metrics ? [metrics] : [] }, () => app.close());
  // `kill -USR2 <pid>`: debug level until the next SIGUSR2.
  cycleLevelOnSignal(requestContexts, { logger });

  app.listen({ port: config.port, host: config.host }).then(
    () => {
      if (config.environment === 'production' && config.output === 'stdout') {
        logger.info('CloudWatch JSON lines go to standard output (LOG_OUTPUT=stdout); no console, no files');
      } else if (config.environment === 'production') {
        const base = path.resolve(config.logPath);
        const dir = path.dirname(base);
        logger.info(
          { log_dir: dir },
          `CloudWatch JSON log files go to ${dir} as ${path.basename(base)}.YYYY-MM-DD_HH (one per hour, UTC)`,
        );
      } else {
        logger.info('local mode: console only, no log files (ENVIRONMENT=production writes them)');
      }
    },
    // Like a bad variable: one line on stderr and exit 1. Nothing was logged yet, so no file is created.
    async (err: unknown) => {
      process.stderr.write(
        `demo-fastify: cannot start: ${listenErrorMessage(err, config.host, config.port)}\n`,
      );
      await closeLogging(logger);
      process.exit(1);
    },
  );
}

main();
