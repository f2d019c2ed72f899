import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  checkMetricsOptions,
  createMetrics,
  type Metrics,
  type MetricsLogger,
  type MetricsOptions,
  MetricsError,
} from 'pino-cloudwatch-metrics';
import type { DemoApp } from './app';
import { ConfigError, type DemoConfig } from './config';
import { roundMs } from './request-logging';

/** Where and how the demo writes its metrics (production only). */
export interface MetricsConfig {
  /**
   * `METRICS_PATH`: base path of the EMF files. Default `metrics.log` in LOG_PATH's folder; with
   * `LOG_OUTPUT=stdout` undefined: the EMF lines go to standard output too.
   */
  readonly file: string | undefined;
  /** `METRICS_NAMESPACE`: the CloudWatch namespace. Default: `APP`. */
  readonly namespace: string;
  /** The `Service` dimension of every metric: `APP`. */
  readonly service: string;
  readonly app: string;
  readonly process: string;
}

/** Metric names the demo writes: the dashboard and the alarms in deploy/cloudwatch/ refer to them. */
export const DEMO_METRICS = Object.freeze({
  requests: 'Requests',
  latency: 'Latency',
  clientErrors: 'ClientErrors',
  serverErrors: 'ServerErrors',
} as const);

/** `Route` of a request no route matched (404s): one value, whatever the URL, so it stays a few metrics. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Routes left out of the metrics: the health probe (Docker's HEALTHCHECK, load balancers) is not user
 * traffic, and a probe every 30 s would dilute the latency percentiles and the 5xx rate.
 */
export const UNMEASURED_ROUTES: ReadonlySet<string> = new Set(['/healthz']);

/**
 * The demo's metrics settings from the environment, or undefined in local mode (no metrics, nothing
 * written). Throws a {@link ConfigError} naming a bad variable.
 */
export function readMetricsConfig(
  config: DemoConfig,
  env: NodeJS.ProcessEnv = process.env,
): MetricsConfig | undefined {
  if (config.environment !== 'production') return undefined;
  const read = (key: string, fallback: string): string => {
    const value = env[key];
    if (value === undefined) return fallback;
    if (value.trim() === '')
      throw new ConfigError(`${key} is set but empty; unset it to use the default (${fallback})`);
    return value.trim();
  };
  const metrics: MetricsConfig = Object.freeze({
    file:
      config.output === 'stdout'
        ? undefined
        : read('METRICS_PATH', path.join(path.dirname(config.logPath), 'metrics.log')),
    namespace: read('METRICS_NAMESPACE', config.app),
    service: config.app,
    app: config.app,
    process: config.processId,
  });
  try {
    // With LOG_OUTPUT=stdout the lines go through the app's logger, which does not exist yet: the
    // check needs only its shape.
    checkMetricsOptions(metricsOptions(metrics, { child: () => ({ info: () => undefined }) }));
  } catch (err) {
    if (err instanceof MetricsError)
      throw new ConfigError(`METRICS_NAMESPACE, METRICS_PATH or APP: ${err.message}`);
    throw err;
  }
  return metrics;
}

/**
 * Files of their own, or — with LOG_OUTPUT=stdout — through the app's logger, whose transport writes
 * them to standard output with the logs (one writer: a line is never written inside another).
 */
function metricsOptions(config: MetricsConfig, logger: MetricsLogger): MetricsOptions {
  return {
    namespace: config.namespace,
    ...(config.file === undefined
      ? { destination: logger }
      : { file: config.file, app: config.app, process: config.process }),
    dimensions: { Service: config.service },
  };
}

/**
 * Per-route request metrics, aggregated per minute and written as EMF lines into their own files:
 * `Requests` (count), `Latency` (ms, every value: p50/p90/p99 in CloudWatch), `ClientErrors` and
 * `ServerErrors` (4xx and 5xx counts, 0 for the other requests so that a rate is 0 and not missing),
 * each per `Route` and for the whole service, with the `Service` dimension. Recorded in Fastify's
 * `onResponse` hook, after the response has been sent; {@link UNMEASURED_ROUTES} are left out. The config comes from {@link readMetricsConfig},
 * which has checked it.
 */
export function startRequestMetrics(
  app: DemoApp,
  config: MetricsConfig,
  options: { intervalMs?: number; autoFlush?: boolean } = {},
): Metrics {
  const metrics = createMetrics({ ...metricsOptions(config, app.log), ...options });
  const perRoute = { dimensions: ['Route'], dimensionSets: [['Route'], []] } as const;
  const requests = metrics.counter(DEMO_METRICS.requests, perRoute);
  const latency = metrics.distribution(DEMO_METRICS.latency, { unit: 'Milliseconds', ...perRoute });
  const clientErrors = metrics.counter(DEMO_METRICS.clientErrors, perRoute);
  const serverErrors = metrics.counter(DEMO_METRICS.serverErrors, perRoute);

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    if (UNMEASURED_ROUTES.has(request.routeOptions.url ?? '')) return;
    const dimensions = { Route: routeOf(request) };
    const status = reply.statusCode;
    requests.add(1, dimensions);
    latency.record(roundMs(reply.elapsedTime), dimensions); // to the microsecond, as in the log lines
    clientErrors.add(status >= 400 && status < 500 ? 1 : 0, dimensions);
    serverErrors.add(status >= 500 ? 1 : 0, dimensions);
  });
  return metrics;
}

/** `GET /slow`: the method and the route's pattern (never the raw URL, whose query strings would multiply metrics). */
export function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? UNMATCHED_ROUTE}`;
}
