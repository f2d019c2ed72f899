import { colorizerFactory } from 'pino-pretty';

/** The environment variables that decide colour when the `colorize` option is not given. */
export interface ColorEnv {
  readonly NO_COLOR?: string | undefined;
  readonly FORCE_COLOR?: string | undefined;
  readonly TERM?: string | undefined;
}

/**
 * Decides whether to colour, once, at setup. An explicit `colorize: true | false` wins (a
 * per-instance setting overrides `NO_COLOR`, as no-color.org asks). Otherwise: a non-empty
 * `NO_COLOR` turns colour off; `FORCE_COLOR` turns it on (`0` / `false` turn it off); else colour
 * only when the destination is a TTY whose `TERM` is not `dumb`.
 */
export function resolveColorize(
  option: boolean | undefined,
  env: ColorEnv,
  destinationIsTTY: boolean,
): boolean {
  if (option !== undefined) return option;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return destinationIsTTY && env.TERM !== 'dumb';
}

/** Paints level badges and the extras; identity functions when colour is off. */
export interface Painter {
  /** Paints `text` in the colour of level number `level` (pino-pretty's palette, custom colours applied). */
  readonly level: (level: number, text: string) => string;
  /** Dims the extras segment. */
  readonly dim: (text: string) => string;
}

const identity = (text: string): string => text;

/** A painter that leaves text alone. */
export const PLAIN_PAINTER: Painter = Object.freeze({
  level: (_level: number, text: string) => text,
  dim: identity,
});

/**
 * Builds a painter on pino-pretty's colorette-based colorizer: level numbers get pino-pretty's
 * colours (fatal on red, error red, warn yellow, info green, debug blue, trace grey, anything
 * else white) unless `customColors` (level number → colorette colour name) says otherwise.
 * Called at setup only; the badges it paints are cached by the level table.
 */
export function createPainter(colorize: boolean, customColors: ReadonlyArray<[number, string]>): Painter {
  if (!colorize) return PLAIN_PAINTER;
  const colorizer = colorizerFactory(true, customColors.length > 0 ? [...customColors] : undefined, false);
  return Object.freeze({
    // pino-pretty's colorizer paints the label it looks up for a number; handing it our own
    // label for that number makes it paint our text in that level's colour.
    level: (level: number, text: string) =>
      colorizer(level, { customLevels: { [level]: text }, customLevelNames: {} }),
    dim: (text: string) => colorizer.greyMessage(text),
  });
}
