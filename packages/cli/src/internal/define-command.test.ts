import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CliIo } from '../cli-io';
import { EXIT_CODES } from '../exit-codes';
import { COMMANDS } from '../main';
import { CliError, reportCliError, UsageError } from './cli-error';
import { defineCommand, type DefinedCommand } from './define-command';
import { formatJson } from './format';

function fakeIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd: __dirname,
    out: () => out,
    err: () => err,
  };
}

/** Runs a command the way `main` does: errors printed once, as `main` prints them. */
async function runLikeMain(command: { run: (argv: readonly string[], io: CliIo) => Promise<number> }, argv: readonly string[]) {
  const io = fakeIo();
  const code = await command.run(argv, io).catch((error: unknown) => reportCliError(error, io));
  return { code, stdout: io.out(), stderr: io.err() };
}

const sample = defineCommand({
  name: 'sample',
  summary: 'a command for tests',
  description: 'Does nothing useful, carefully.',
  arg: { name: '<file>', needs: 'a file to read', oneAtATime: 'reads one file at a time' },
  options: {
    count: { type: 'integer', value: '<n>', default: 3, min: 1, max: 9, help: 'how many (default 3)' },
    name: { type: 'string', value: '<name>', required: true, help: 'who asks' },
    mode: { type: 'string', value: '<mode>', choices: ['FAST_LANE', 'slow'], help: 'how fast' },
    out: { type: 'string', short: 'o', value: '<file>', help: 'where to write\n(a second line of help)' },
    dry: { type: 'boolean', help: 'write nothing' },
  },
  json: 'print the parsed arguments',
  exits: { ok: 'done', problems: 'more than 5' },
  async run(parsed, io) {
    io.stdout.write(formatJson(parsed));
    return parsed.values.count > 5 ? EXIT_CODES.problems : EXIT_CODES.ok;
  },
});

const SAMPLE_USAGE = 'usage: peerkit sample <file> --name <name> [--count <n>] [--mode <mode>] [--out <file>] [--dry] [--json]';

describe('defineCommand', () => {
  it('types each value from its option', () => {
    type Values = Parameters<typeof sample.definition.run>[0]['values'];
    expectTypeOf<Values['count']>().toEqualTypeOf<number>();
    expectTypeOf<Values['name']>().toEqualTypeOf<string>();
    expectTypeOf<Values['mode']>().toEqualTypeOf<'FAST_LANE' | 'slow' | undefined>();
    expectTypeOf<Values['out']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Values['dry']>().toEqualTypeOf<boolean>();
    expectTypeOf<Parameters<typeof sample.definition.run>[0]['arg']>().toEqualTypeOf<string>();
    expectTypeOf(sample).toMatchTypeOf<DefinedCommand<typeof sample.definition.options, typeof sample.definition.arg>>();
  });

  it.each([
    ['defaults', ['a.txt', '--name', 'x'], 0, { arg: 'a.txt', json: false, values: { count: 3, name: 'x', dry: false } }],
    [
      'every option given',
      ['a.txt', '--name', 'x', '--count', '7', '--mode', 'slow', '-o', 'f.json', '--dry', '--json'],
      1,
      { arg: 'a.txt', json: true, values: { count: 7, name: 'x', mode: 'slow', out: 'f.json', dry: true } },
    ],
    ['a choice in another case, - for _', ['a.txt', '--name', 'x', '--mode', 'fast-lane'], 0, { values: { mode: 'FAST_LANE' } }],
    ['an option written --name=value', ['a.txt', '--name=-x-', '--count=9'], 1, { values: { name: '-x-', count: 9 } }],
    ['options before the argument', ['--name', 'x', 'a.txt'], 0, { arg: 'a.txt' }],
  ])('parses %s', async (_name, argv, code, parsed) => {
    const run = await runLikeMain(sample, argv);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    expect(JSON.parse(run.stdout)).toMatchObject(parsed);
  });

  it.each([
    ['an unknown option', ['a.txt', '--name', 'x', '--bogus'], 'unknown option --bogus'],
    ['an unknown short option', ['a.txt', '--name', 'x', '-z'], 'unknown option -z'],
    ['a missing argument', ['--name', 'x'], 'sample needs a file to read'],
    ['two arguments', ['a.txt', 'b.txt', '--name', 'x'], 'sample reads one file at a time'],
    ['a missing required option', ['a.txt'], 'sample needs --name <name>'],
    ['an empty required option', ['a.txt', '--name', ''], 'sample needs --name <name>'],
    ['an option without its value', ['a.txt', '--name'], "option --name needs a value (for a value starting with '-', write --name=<value>)"],
    ['a value that looks like an option', ['a.txt', '--name', '-x'], "option --name needs a value (for a value starting with '-', write --name=<value>)"],
    ['a value for a boolean', ['a.txt', '--name', 'x', '--dry=yes'], 'option --dry takes no value'],
    ['a value for --json', ['a.txt', '--name', 'x', '--json=yes'], 'option --json takes no value'],
    ['a number that is not whole', ['a.txt', '--name', 'x', '--count', '2.5'], '--count must be a whole number'],
    ['a number out of range', ['a.txt', '--name', 'x', '--count', '10'], '--count must be between 1 and 9'],
    ['a value not among the choices', ['a.txt', '--name', 'x', '--mode', 'medium'], '--mode must be one of: FAST_LANE, slow'],
  ])('exits 2 for %s, with one message line and the usage line', async (_name, argv, message) => {
    const run = await runLikeMain(sample, argv);
    expect(run).toEqual({ code: EXIT_CODES.usage, stdout: '', stderr: `peerkit: ${message}\n${SAMPLE_USAGE}\n` });
  });

  it('prints the help generated from the table for --help and -h, whatever else is missing', async () => {
    for (const argv of [['--help'], ['-h'], ['a.txt', 'b.txt', '--help']]) {
      const run = await runLikeMain(sample, argv);
      expect(run).toEqual({ code: 0, stdout: sample.help, stderr: '' });
    }
    expect(sample.help).toBe(`Does nothing useful, carefully.

${SAMPLE_USAGE}

Options:
  --count <n>         how many (default 3)
  --name <name>       who asks
  --mode <mode>       how fast
  -o, --out <file>    where to write
                      (a second line of help)
  --dry               write nothing
  --json              print the parsed arguments
  -h, --help          show this help

Exit codes: 0 done, 1 more than 5, 2 usage error or unreadable input.
`);
  });

  it('still rejects an unknown option next to --help', async () => {
    const run = await runLikeMain(sample, ['--help', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`peerkit: unknown option --bogus\n${SAMPLE_USAGE}\n`);
  });

  describe('a command without an argument', () => {
    const bare = defineCommand({
      name: 'bare',
      summary: 'no argument',
      description: 'Takes no argument.',
      noArgHint: 'use --out <file>',
      usage: ['peerkit bare --out <file>', 'peerkit bare --list'],
      details: 'Details come before the options.',
      notes: 'Notes come after them.',
      options: { out: { type: 'string', value: '<file>', help: 'where' }, list: { type: 'boolean', help: 'list' } },
      json: 'print JSON',
      exits: { ok: 'fine', usage: 'bad arguments' },
      async run({ arg, values }, io) {
        expectTypeOf(arg).toEqualTypeOf<undefined>();
        if (values.list) throw new UsageError('--list is not ready');
        if (values.out === 'unreadable') throw new CliError('unreadable: no such file');
        if (values.out === 'bug') throw new TypeError('a bug');
        io.stdout.write('ok\n');
        return EXIT_CODES.ok;
      },
    });
    const usage = 'usage: peerkit bare --out <file>\n       peerkit bare --list';

    it('says it takes no file argument, with the hint', async () => {
      expect(await runLikeMain(bare, ['x.txt'])).toEqual({ code: 2, stdout: '', stderr: `peerkit: bare takes no file argument; use --out <file>\n${usage}\n` });
    });

    it('adds its usage lines to a UsageError thrown by run', async () => {
      expect(await runLikeMain(bare, ['--list'])).toEqual({ code: 2, stdout: '', stderr: `peerkit: --list is not ready\n${usage}\n` });
    });

    it('prints a CliError from run as one line, without the usage', async () => {
      expect(await runLikeMain(bare, ['--out', 'unreadable'])).toEqual({ code: 2, stdout: '', stderr: 'peerkit: unreadable: no such file\n' });
    });

    it('lets anything else through (a bug, for bin/peerkit.mjs to report)', async () => {
      await expect(runLikeMain(bare, ['--out', 'bug'])).rejects.toThrow(TypeError);
    });

    it('places details, notes and its own usage lines and exit meanings in the help', () => {
      expect(bare.help).toBe(`Takes no argument.

${usage}

Details come before the options.

Options:
  --out <file>    where
  --list          list
  --json          print JSON
  -h, --help      show this help

Notes come after them.

Exit codes: 0 fine, 2 bad arguments.
`);
    });
  });

  it('makes an optional argument possibly undefined, for run to decide', async () => {
    const optional = defineCommand({
      name: 'optional',
      summary: 's',
      description: 'd',
      arg: { name: '<file>', oneAtATime: 'takes one file', optional: true },
      options: {},
      json: 'j',
      exits: { ok: 'o' },
      async run({ arg }, io) {
        expectTypeOf(arg).toEqualTypeOf<string | undefined>();
        io.stdout.write(`${arg ?? '(none)'}\n`);
        return EXIT_CODES.ok;
      },
    });
    expect((await runLikeMain(optional, [])).stdout).toBe('(none)\n');
    expect(optional.usage).toBe('usage: peerkit optional [<file>] [--json]');
  });
});

describe('the commands made by defineCommand', () => {
  const defined = COMMANDS.filter((c): c is DefinedCommand<never, never> => 'definition' in c);

  it('are all the commands', () => {
    expect(COMMANDS.filter((c) => !defined.includes(c as DefinedCommand<never, never>)).map((c) => c.name)).toEqual([]);
  });

  it.each(defined.map((c) => [c.name, c] as const))('%s: --help lists --json and the exit codes', async (_name, command) => {
    const run = await runLikeMain(command, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}--json {2,}\S/m);
    expect(run.stdout).toMatch(/^ {2}-h, --help {2,}show this help$/m);
    expect(run.stdout).toMatch(/\n\nExit codes: 0 \S[^]*(?:, 1 \S[^]*)?, 2 \S[^]*\.\n$/);
    expect(command.usage.split('\n').every((line) => line.includes('[--json]'))).toBe(true);
  });

  it.each(defined.map((c) => [c.name, c] as const))('%s: an unknown option exits 2 with its usage line', async (_name, command) => {
    const run = await runLikeMain(command, ['--no-such-option']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `peerkit: unknown option --no-such-option\n${command.usage}\n` });
  });
});
