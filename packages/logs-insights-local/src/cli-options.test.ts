import { CliUsageError, optionLines, readArgs, type CliOption } from './cli-options';
import { USAGE } from './cli-args';
import { SERVE_USAGE, parseServeArgs } from './serve-args';
import { parseCliArgs } from './cli-args';

const TABLE: Record<string, CliOption> = {
  since: { type: 'string', value: '<time>', help: 'from' },
  chart: { type: 'boolean', help: 'bars\ninstead of the table' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
};
const unknown = (arg: string): string => `unknown ${arg}`;

describe('readArgs', () => {
  it('reads values that start with a dash, short flags, and everything after -- as positional', () => {
    const { values, positionals } = readArgs(
      ['q', '--since', '-5min', '-h', 'a', '--', '--chart'],
      TABLE,
      unknown,
    );
    expect([...values]).toEqual([
      ['since', '-5min'],
      ['help', true],
    ]);
    expect(positionals).toEqual(['q', 'a', '--chart']);
  });

  it.each([
    [['--nope'], 'unknown --nope'],
    [['--since'], '--since needs a value'],
    [['--chart=yes'], '--chart takes no value'],
  ])('%j → %s', (argv, message) => {
    expect(() => readArgs(argv, TABLE, unknown)).toThrow(CliUsageError);
    expect(() => readArgs(argv, TABLE, unknown)).toThrow(message);
  });

  it('lays out the usage lines from the table, help in one column', () => {
    expect(optionLines(TABLE)).toBe(
      [
        '  --since <time>  from',
        '  --chart         bars',
        '                  instead of the table',
        '  -h, --help      this text',
      ].join('\n'),
    );
  });
});

describe('every option in a usage text is read by its CLI', () => {
  const shown = (usage: string): [string, boolean][] =>
    [...usage.matchAll(/^ {2}(?:-\w, )?--(\w+)( \S+)?/gm)].map((m) => [m[1], m[2] !== undefined]);

  it.each(shown(USAGE))('logs-insights --%s', (name, takesValue) => {
    const value = name === 'format' ? 'table' : '-1h';
    expect(() => parseCliArgs(['q', `--${name}`, ...(takesValue ? [value] : [])], Date.now())).not.toThrow();
  });

  it.each(shown(SERVE_USAGE))('logs-insights serve --%s', (name, takesValue) => {
    expect(() => parseServeArgs(['a.log', `--${name}`, ...(takesValue ? ['0'] : [])])).not.toThrow();
  });
});
