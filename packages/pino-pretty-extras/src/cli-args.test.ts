import { CliUsageError, parseCliArgs } from './cli-args';

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
});
