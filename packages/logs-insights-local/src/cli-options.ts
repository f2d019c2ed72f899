import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option of a CLI: how it is read, and its line in the usage. */
export interface CliOption {
  /** `boolean`: `--flag`; `string`: `--flag value` or `--flag=value`. */
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  /** What stands for the value in the usage, e.g. `<time>`. */
  readonly value?: string;
  /** The usage text; a `\n` starts a continuation line. */
  readonly help: string;
}

/** A flag the CLI does not know, a missing value, or no query. */
export class CliUsageError extends Error {}

/** What the arguments said: each option's value (`true` for a boolean) in order, and the positionals. */
export interface ReadArgs {
  readonly values: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/**
 * Reads `argv` against a CLI's table of options with `node:util` `parseArgs`: `--name value`,
 * `--name=value`, short flags, positionals anywhere, everything after `--` positional. A value may
 * start with a dash (`--since -1h`). `unknown` words the error for an option the table lacks.
 */
export function readArgs(
  argv: readonly string[],
  table: Readonly<Record<string, CliOption>>,
  unknown: (arg: string) => string,
): ReadArgs {
  const options: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [
      name,
      spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
    ]),
  );
  // Not strict: parseArgs would refuse a value that starts with a dash; the table is checked here.
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = table[token.name] as CliOption | undefined;
    if (spec === undefined) throw new CliUsageError(unknown(argv[token.index]));
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new CliUsageError(`--${token.name} takes no value`);
      values.set(token.name, true);
    } else {
      if (token.value === undefined) throw new CliUsageError(`--${token.name} needs a value`);
      values.set(token.name, token.value);
    }
  }
  return { values, positionals };
}

/** The `Options:` lines of a usage text, from the table: one option a line, help in one column. */
export function optionLines(table: Readonly<Record<string, CliOption>>): string {
  const labels = Object.entries(table).map(
    ([name, spec]) =>
      `  ${spec.short === undefined ? '' : `-${spec.short}, `}--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`,
  );
  const column = Math.max(...labels.map((label) => label.length)) + 2;
  return Object.values(table)
    .map((spec, i) => {
      const [first, ...more] = spec.help.split('\n');
      return [labels[i].padEnd(column) + first, ...more.map((line) => ' '.repeat(column) + line)].join('\n');
    })
    .join('\n');
}
