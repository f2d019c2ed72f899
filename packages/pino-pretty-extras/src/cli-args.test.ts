import { CliUsageError, parseCliArgs, USAGE } from './cli-args';

describe('parseCliArgs', () => {
  it('reads value flags in every spelling, numbers and file descriptors as numbers', () => {
    const { options, help } = parseCliArgs([
      '--levelLabels',
      'python',
      '--max-depth=3',
      '-i',
      'req.headers',
      '--timeZone=UTC',
      '--destination',
      '2',
    ]);
    expect(help).toBe(false);
    expect(options).toEqual({
      levelLabels: 'python',
      maxDepth: 3,
      ignore: 'req.headers',
      timeZone: 'UTC',
      destination: 2,
    });
    expect(parseCliArgs(['--destination', './2', '--maxDepth', 'deep']).options).toEqual({
      destination: './2',
      maxDepth: 'deep',
    });
  });

  it('reads boolean flags and their negations', () => {
    expect(parseCliArgs(['-c', '--utc', '--no-append', '--sync=false']).options).toEqual({
      colorize: true,
      utc: true,
      append: false,
      sync: false,
    });
    expect(parseCliArgs(['--crlf=yes']).options).toEqual({ crlf: 'yes' });
    expect(parseCliArgs(['--no-colorize']).options).toEqual({ colorize: false });
    expect(parseCliArgs(['--raw']).options).toEqual({ raw: true });
  });

  it('reads --maxLineBytes, a CLI-only setting (1 MiB by default), apart from the options', () => {
    expect(parseCliArgs([]).maxLineBytes).toBe(1024 * 1024);
    const args = parseCliArgs(['--max-line-bytes', '4096', '--utc']);
    expect(args.maxLineBytes).toBe(4096);
    expect(args.options).toEqual({ utc: true });
  });

  it.each(['0', '-1', '1.5', 'big', ''])('refuses --maxLineBytes=%j, naming it', (value) => {
    expect(() => parseCliArgs([`--maxLineBytes=${value}`])).toThrow(
      'option "maxLineBytes" must be a positive integer (bytes); got ',
    );
  });

  it('asks for help', () => {
    expect(parseCliArgs(['-h']).help).toBe(true);
    expect(parseCliArgs(['--help']).options).toEqual({});
  });

  it.each([
    [['--frobnicate'], 'unknown option "--frobnicate"'],
    [['--messageKey'], '--messageKey needs a value'],
    [['file.log'], 'unexpected argument "file.log"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('reads every option the --help text shows, and the help shows every option it reads', () => {
    const shown = [...USAGE.matchAll(/^ {2}(?:-(\w), )?--(\w+)( <[^>]+>)?/gm)];
    expect(shown.length).toBeGreaterThan(20);
    for (const [, short, name, value] of shown) {
      const argv = value === undefined ? [`--${name}`] : [`--${name}`, '7'];
      const read = parseCliArgs(argv);
      expect([
        name,
        name === 'help' ? read.help : name === 'maxLineBytes' ? read.maxLineBytes : read.options,
      ]).toEqual([
        name,
        name === 'help'
          ? true
          : name === 'maxLineBytes'
            ? 7
            : { [name]: value === undefined ? true : expect.anything() },
      ]);
      if (short !== undefined)
        expect(parseCliArgs(value === undefined ? [`-${short}`] : [`-${short}`, '7'])).toEqual(read);
    }
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(CliUsageError);
  });
});
