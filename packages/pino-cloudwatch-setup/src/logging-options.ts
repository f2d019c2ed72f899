import pino, { type LoggerOptions, type TransportTargetOptions } from 'pino';
import { keepLoggedName } from 'pino-cloudwatch-file';
import type { LogMethodHook } from 'pino-request-context';
import { TARGETS } from './constants';
import { checkOptionsObject, type LevelMap, levelMap, lowestLevel } from 'pino-cloudwatch-core';
import { prepareLogFolder } from './log-folder';
import { resolveLoggingConfig } from './resolve-config';
import type { LoggingConfig, ResolvedLoggingConfig } from './types';

/** pino options the config owns: setting them in the extra options would fight the config. */
const OWNED_BY_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  transport: 'the transport is built from the config (env, logPath, file, console)',
  level: 'set logLevel in the config',
  name: 'set name in the config',
});

/**
 * pino options for one-call CloudWatch logging, to pass to `pino(options)` (or `Fastify({ logger })`).
 *
 * - `local`: one target, the human console (`pino-pretty-extras`).
 * - `production`: one multi-target transport: the console plus `pino-cloudwatch-file` (JSON lines
 *   in hourly files, only records at `fileLevel` or above).
 *
 * `extra` is any other pino option (serializers, redact, mixin, customLevels, messageKey, base,
 * formatters.log, hooks, ...); it is merged in and its custom levels are known to both targets.
 * A logged object's `name` is written as `_name` (after your `formatters.log`, if any), so only the
 * config's `name` and a child's `name` binding name the logger.
 * `serializers.err` (or your `errorKey`) defaults to `pino.stdSerializers.errWithCause`, so an
 * error's `cause` stays a structured object in the JSON. Throws, naming the option, on bad values.
 * `requestContexts` needs {@link setupLogging}: they go in front of the transport, which pino
 * would build itself from these options.
 */
export function loggingOptions(config: LoggingConfig, extra: LoggerOptions = {}): LoggerOptions {
  if ((config as Partial<LoggingConfig> | null)?.requestContexts !== undefined) {
    throw new Error(
      'pino-cloudwatch-setup: requestContexts needs setupLogging, which puts them in front of the ' +
        'transport; loggingOptions returns options from which pino builds the transport itself',
    );
  }
  return buildLoggingOptions(config, extra);
}

/** {@link loggingOptions} for {@link setupLogging}: with request contexts, set to the config's level. */
export function buildLoggingOptions(config: LoggingConfig, extra: LoggerOptions = {}): LoggerOptions {
  checkExtraOptions(extra);
  const levels = levelMap(
    extra.customLevels as Record<string, number> | undefined,
    extra.useOnlyCustomLevels === true,
  );
  const resolved = resolveLoggingConfig(config, levels);
  // Where logging starts: the log folder made and checked writable now, not at the first record.
  if (resolved.logPath !== undefined) prepareLogFolder(resolved);
  if (resolved.requestContexts !== undefined) resolved.requestContexts.level = resolved.logLevel;
  return optionsFor(resolved, extra, levels);
}

/** The pure half of {@link loggingOptions}: pino options from an already resolved config. */
export function optionsFor(
  resolved: ResolvedLoggingConfig,
  extra: LoggerOptions,
  levels: LevelMap,
): LoggerOptions {
  const errorKey = extra.errorKey ?? 'err';
  const targets: TransportTargetOptions[] = [];
  if (resolved.console !== false)
    targets.push({
      target: require.resolve(TARGETS.console),
      // The logger's level decides what the console shows, so changing `logger.level` at run time works.
      level: lowestLevel(levels),
      options: { ...resolved.console, colorize: resolved.colorize, levelLabels: resolved.levelLabels },
    });
  if (resolved.env === 'production') {
    targets.push({
      target: require.resolve(TARGETS.file),
      // With request contexts, they decide (the flushed debug records must reach the file).
      level: resolved.requestContexts === undefined ? resolved.fileLevel : lowestLevel(levels),
      options: {
        ...resolved.file,
        ...(resolved.output === 'stdout' ? { destination: 1 } : { file: resolved.logPath }),
        app: resolved.app,
        process: resolved.process,
        levelLabels: resolved.levelLabels,
        // Told directly rather than through pino's config message, which a targets transport can
        // deliver before this target listens.
        levels,
        errorKey,
        ...(extra.messageKey === undefined ? {} : { messageKey: extra.messageKey }),
      },
    });
  }
  const userLog = extra.formatters?.log;
  return {
    ...extra,
    name: resolved.name,
    // A logged object's `name` is kept as `_name`, after the user's own formatters.log: pino writes it
    // as a second `name` key, which would otherwise name the logger (pino-cloudwatch-file's keepLoggedName).
    formatters: {
      ...extra.formatters,
      log: userLog === undefined ? keepLoggedName : (object) => keepLoggedName(userLog(object)),
    },
    level: resolved.requestContexts?.loggerLevel ?? resolved.logLevel,
    ...(resolved.requestContexts === undefined
      ? {}
      : {
          hooks: {
            ...extra.hooks,
            logMethod: withContextsHook(
              resolved.requestContexts,
              extra.hooks?.logMethod as LogMethodHook | undefined,
            ),
          },
        }),
    serializers: { [errorKey]: pino.stdSerializers.errWithCause, ...extra.serializers },
    transport: { targets },
  };
}

function checkExtraOptions(extra: LoggerOptions): void {
  checkOptionsObject('pino-cloudwatch-setup', extra, "{ level: 'debug' }", 'extra pino options');
  for (const [key, why] of Object.entries(OWNED_BY_CONFIG)) {
    if (key in extra)
      throw new Error(`pino-cloudwatch-setup: pino option "${key}" cannot be passed here: ${why}`);
  }
  if (typeof extra.formatters?.level === 'function') {
    throw new Error(
      'pino-cloudwatch-setup: pino option "formatters.level" cannot be used: pino refuses custom level ' +
        'formatters with transport targets (the targets route records by the numeric level). ' +
        'Use the levelLabels option to change the labels in the JSON and on the console.',
    );
  }
}

/**
 * The request contexts' `logMethod` (a record they would drop is never serialized), in front of the
 * user's own `hooks.logMethod`, if any.
 */
function withContextsHook(
  contexts: { logMethod: LogMethodHook },
  user: LogMethodHook | undefined,
): LogMethodHook {
  const ours = contexts.logMethod;
  if (user === undefined) return ours;
  return function logMethod(this: unknown, args, method, level) {
    ours.call(this, args, (...inner: unknown[]) => user.call(this, inner, method, level), level);
  };
}
