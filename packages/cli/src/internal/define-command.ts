import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-io';
import { EXIT_CODE_MEANINGS, EXIT_CODES, type ExitCode } from '../exit-codes';
import { UsageError } from './cli-error';
import { formatTable, wrapText } from './format';

/** One verb of the `peerkit` command, as `main` runs it; made by {@link defineCommand}. */
export interface Command {
  /** The verb, e.g. `validate`. */
  readonly name: string;
  /** One line for `peerkit --help`. */
  readonly summary: string;
  /** The usage line printed after a usage error. */
  readonly usage: string;
  /** Runs the verb with the arguments after its name; resolves to the exit code. Throws only `CliError`. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Limits of an integer option and of {@link parseInteger}. */
export interface IntegerLimits {
  /** Smallest accepted value. Default 0. */
  readonly min?: number;
  /** Largest accepted value. Default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
}

/**
 * Parses a whole-number value, or throws a `UsageError` naming the option and the rule (inside a
 * command, the command's usage line is added).
 *
 * @param option - the option as the user writes it, e.g. `--peers`
 * @param raw - the value given
 * @param limits - see {@link IntegerLimits}
 * @returns the number
 * @example
 * parseInteger('--minutes', '37', { max: 100_000 }); // 37
 */
export function parseInteger(option: string, raw: string, limits: IntegerLimits = {}): number {
  const min = limits.min ?? 0;
  const max = limits.max ?? Number.MAX_SAFE_INTEGER;
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`${option} must be a whole number`);
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`${option} must be ${range}`);
  }
  return value;
}

interface OptionBase {
  /** A one-letter alias: `o` for `-o`. */
  readonly short?: string;
  /**
   * What the option does, for `--help`, defaults included ("(default 50)"). Lines after the first
   * continue it under the same column.
   */
  readonly help: string;
}

/** An option that takes no value: `--strict`. Parsed as `true` when given, else `false`. */
export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
}

/** An option that takes text: `--out <file>`. */
export interface StringOption extends OptionBase {
  readonly type: 'string';
  /** The value's name in the usage line and help. Default `<value>`. */
  readonly value?: string;
  /** A usage error (`<command> needs --<name> <value>`) when missing or empty. */
  readonly required?: boolean;
  /** The value when the option is not given. */
  readonly default?: string;
  /** The accepted values; matched ignoring case, and `-` and `_` alike; parsed as the choice itself. */
  readonly choices?: readonly string[];
}

/** An option that takes a whole number: `--max-issues <n>`. */
export interface IntegerOption extends OptionBase, IntegerLimits {
  readonly type: 'integer';
  /** The value's name in the usage line and help. Default `<n>`. */
  readonly value?: string;
  /** A usage error (`<command> needs --<name> <value>`) when missing. */
  readonly required?: boolean;
  /** The value when the option is not given. */
  readonly default?: number;
}

/** One option of a command: its type, how it is written and its help line. */
export type OptionSpec = BooleanOption | StringOption | IntegerOption;

/** A command's options by name (`max-issues` for `--max-issues`); `--json` and `--help` are added. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>> & { readonly json?: never; readonly help?: never };

/** The command's one argument (a file): required unless `optional`. */
export type ArgSpec =
  | {
      /** Its name in the usage line, e.g. `<file>`. */
      readonly name: string;
      /** Ends `<command> needs …` when it is missing, e.g. `the file to check`. */
      readonly needs: string;
      /** Ends `<command> …` when several are given, e.g. `checks one file at a time`. */
      readonly oneAtATime: string;
      readonly optional?: false;
    }
  | {
      readonly name: string;
      readonly oneAtATime: string;
      /** The command decides whether it needs one (that depends on an option). */
      readonly optional: true;
    };

/** What exit codes 0, 1 and 2 mean for one command, for its `--help`. */
export interface ExitMeanings {
  /** Exit 0. */
  readonly ok: string;
  /** Exit 1; leave it out when the command never returns 1. */
  readonly problems?: string;
  /** Exit 2. Default: usage error or unreadable input. */
  readonly usage?: string;
}

type Absent<S> = S extends { readonly required: true } | { readonly default: string | number } ? never : undefined;

/** The parsed value of an option, typed from its spec. */
export type OptionValue<S> = S extends BooleanOption
  ? boolean
  : S extends IntegerOption
    ? number | Absent<S>
    : S extends { readonly choices: readonly (infer C)[] }
      ? C | Absent<S>
      : string | Absent<S>;

/** What a command's `run` gets: its options typed from the table, its argument, and `--json`. */
export interface ParsedCommand<O extends OptionSpecs, A extends ArgSpec | undefined> {
  /** Every option of the table, parsed and checked (required, choices, integer limits). */
  readonly values: { readonly [K in keyof O]: OptionValue<O[K]> };
  /** The argument: a string when required, possibly undefined when optional, undefined when there is none. */
  readonly arg: A extends { readonly optional: true } ? string | undefined : A extends ArgSpec ? string : undefined;
  /** `--json` was given: print one JSON object on standard output and nothing else there. */
  readonly json: boolean;
}

/** One `peerkit` command as a table entry: the help, usage, `--json` and errors come from it. */
export interface CommandDefinition<O extends OptionSpecs, A extends ArgSpec | undefined> {
  /** The verb, e.g. `validate`. */
  readonly name: string;
  /** One line for `peerkit --help`. */
  readonly summary: string;
  /** The first paragraphs of its `--help`, before the usage line. */
  readonly description: string;
  /**
   * The usage lines, each starting `peerkit <name>`, for a command whose forms the table cannot say.
   * Default: `peerkit <name> [<arg>] <required options> [<other options>] [--json]`.
   */
  readonly usage?: readonly string[];
  /** Its argument, if it takes one. */
  readonly arg?: A;
  /** Ends `<command> takes no file argument; …` for a command without one, e.g. `use --out <file>`. */
  readonly noArgHint?: string;
  /** Its options, in help order. */
  readonly options: O;
  /** What `--json` prints, for its help line. */
  readonly json: string;
  /** Text between the usage line and the options (a table of choices, where input comes from). */
  readonly details?: string;
  /** Text after the options, before the exit codes. */
  readonly notes?: string;
  /** What its exit codes mean. */
  readonly exits: ExitMeanings;
  /**
   * Does the work. Throws `UsageError` for a wrong argument (the usage line is added) and
   * `CliError` for input it cannot read; anything else is a bug.
   */
  run(parsed: ParsedCommand<O, A>, io: CliIo): Promise<ExitCode>;
}

/** A command made by {@link defineCommand}: a {@link Command} `main` can run, and its table. */
export interface DefinedCommand<O extends OptionSpecs, A extends ArgSpec | undefined> extends Command {
  /** The table it was made from. */
  readonly definition: CommandDefinition<O, A>;
  /** Its `--help` text. */
  readonly help: string;
}

const JSON_OPTION: BooleanOption = { type: 'boolean', help: '' };
const HELP_OPTION: BooleanOption = { type: 'boolean', short: 'h', help: 'show this help' };

function placeholder(spec: OptionSpec): string {
  if (spec.type === 'boolean') return '';
  return spec.value ?? (spec.type === 'integer' ? '<n>' : '<value>');
}

function flag(name: string, spec: OptionSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${placeholder(spec)}`;
}

function usageLines<O extends OptionSpecs, A extends ArgSpec | undefined>(def: CommandDefinition<O, A>): readonly string[] {
  if (def.usage !== undefined) return def.usage;
  const words = [`peerkit ${def.name}`];
  if (def.arg !== undefined) words.push(def.arg.optional ? `[${def.arg.name}]` : def.arg.name);
  const options = Object.entries(def.options) as [string, OptionSpec][];
  const required = (spec: OptionSpec): boolean => spec.type !== 'boolean' && spec.required === true;
  for (const [name, spec] of options) if (required(spec)) words.push(flag(name, spec));
  for (const [name, spec] of options) if (!required(spec)) words.push(`[${flag(name, spec)}]`);
  words.push('[--json]');
  return [words.join(' ')];
}

function helpText<O extends OptionSpecs, A extends ArgSpec | undefined>(def: CommandDefinition<O, A>, usage: string): string {
  const options: [string, OptionSpec][] = [
    ...(Object.entries(def.options) as [string, OptionSpec][]),
    ['json', { ...JSON_OPTION, help: def.json }],
    ['help', HELP_OPTION],
  ];
  const rows = options.flatMap(([name, spec]) => {
    const [first = '', ...more] = spec.help.split('\n');
    const flags = spec.short === undefined ? flag(name, spec) : `-${spec.short}, ${flag(name, spec)}`;
    return [[`  ${flags}  `, first], ...more.map((line) => ['', line])];
  });
  const exits = [
    `0 ${def.exits.ok}`,
    ...(def.exits.problems === undefined ? [] : [`1 ${def.exits.problems}`]),
    `2 ${def.exits.usage ?? EXIT_CODE_MEANINGS.usage}`,
  ];
  const out = [def.description.trimEnd(), '', usage];
  if (def.details !== undefined) out.push('', def.details.trimEnd());
  out.push('', 'Options:', ...formatTable(rows));
  if (def.notes !== undefined) out.push('', def.notes.trimEnd());
  out.push('', ...wrapText(`Exit codes: ${exits.join(', ')}.`));
  return `${out.join('\n')}\n`;
}

/** `-` and `_` alike, any case: `full-unit` finds `FULL_UNIT`. */
function foldChoice(text: string): string {
  return text.trim().toLowerCase().replaceAll('_', '-');
}

function optionValue(command: string, name: string, spec: OptionSpec, raw: string | boolean | undefined): unknown {
  if (spec.type === 'boolean') return raw === true;
  const text = typeof raw === 'string' ? raw : undefined;
  if (text === undefined || (text === '' && spec.type === 'string' && spec.required === true)) {
    if (spec.required !== true) return spec.default;
    const choices = spec.type === 'string' && spec.choices !== undefined ? ` (${spec.choices.join(', ')})` : '';
    throw new UsageError(`${command} needs ${flag(name, spec)}${choices}`);
  }
  if (spec.type === 'integer') return parseInteger(`--${name}`, text, spec);
  if (spec.choices === undefined) return text;
  const choice = spec.choices.find((c) => foldChoice(c) === foldChoice(text));
  if (choice === undefined) throw new UsageError(`--${name} must be one of: ${spec.choices.join(', ')}`);
  return choice;
}

function argValue(def: CommandDefinition<OptionSpecs, ArgSpec | undefined>, positionals: readonly string[]): string | undefined {
  const [first, ...extra] = positionals;
  const arg = def.arg;
  if (arg === undefined) {
    if (first === undefined) return undefined;
    throw new UsageError(`${def.name} takes no file argument${def.noArgHint === undefined ? '' : `; ${def.noArgHint}`}`);
  }
  if (extra.length > 0) throw new UsageError(`${def.name} ${arg.oneAtATime}`);
  if (first === undefined && arg.optional !== true) throw new UsageError(`${def.name} needs ${arg.needs}`);
  return first;
}

/** Node's parse errors quote the option (`'--seed'` or `'-s, --seed <value>'`); keep just its name. */
function optionNamed(message: string): string {
  const quoted = /'(?:-\w, )?(--?[\w-]+)/.exec(message);
  return quoted?.[1] ?? 'an option';
}

type ParseConfig = Record<string, { type: 'string' | 'boolean'; short?: string }>;

interface ParsedArgv {
  values: Partial<Record<string, string | boolean>>;
  positionals: string[];
}

/** `parseArgs` in strict mode, with its errors turned into usage errors that name the option. */
function parseStrict(argv: readonly string[], options: ParseConfig): ParsedArgv {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgv['values'], positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : '';
    const name = optionNamed(message);
    switch (code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${name}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new UsageError(
          message.includes('does not take an argument')
            ? `option ${name} takes no value`
            : `option ${name} needs a value (for a value starting with '-', write ${name}=<value>)`,
        );
      default:
        throw new UsageError('invalid arguments');
    }
  }
}

/** Parses `argv` by the table; `undefined` means `--help` was asked for. Throws `UsageError` (without the usage line). */
function parseCommand(def: CommandDefinition<OptionSpecs, ArgSpec | undefined>, argv: readonly string[]): ParsedCommand<OptionSpecs, ArgSpec | undefined> | undefined {
  const config: ParseConfig = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(def.options) as [string, OptionSpec][]) {
    config[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  const { values, positionals } = parseStrict(argv, config);
  if (values.help === true) return undefined;
  const arg = argValue(def, positionals);
  const parsed: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(def.options) as [string, OptionSpec][]) {
    parsed[name] = optionValue(def.name, name, spec, values[name]);
  }
  return { values: parsed as ParsedCommand<OptionSpecs, ArgSpec | undefined>['values'], arg, json: values.json === true };
}

/**
 * Makes a `peerkit` command from one table entry. The entry's options are parsed with `node:util`'s
 * `parseArgs` (strict) and handed to `run` typed; `--json` and `-h, --help` are added to every
 * command; `--help` prints the help generated from the entry (description, usage, options, exit
 * codes); a wrong option or argument is a `UsageError`, printed by `main` as one `peerkit: ` line and
 * the usage line, exit 2.
 *
 * @param definition - the table entry: name, help texts, argument, options and `run`
 * @returns a {@link Command} for `main`'s list, with its table and help text
 * @example
 * export const unitsCommand = defineCommand({
 *   name: 'units',
 *   summary: 'convert minutes to billing units',
 *   description: 'Converts minutes of service to billing units under a strategy.',
 *   options: { minutes: { type: 'integer', required: true, help: 'minutes of service' } },
 *   json: 'print one JSON object',
 *   exits: { ok: 'converted' },
 *   async run({ values, json }, io) {
 *     io.stdout.write(json ? formatJson({ minutes: values.minutes }) : `${values.minutes}\n`);
 *     return EXIT_CODES.ok;
 *   },
 * });
 * See: docs/cli.md (generated from every command's --help)
 */
export function defineCommand<const O extends OptionSpecs, const A extends ArgSpec | undefined = undefined>(
  definition: CommandDefinition<O, A>,
): DefinedCommand<O, A> {
  const usage = `usage: ${usageLines(definition).join('\n       ')}`;
  const help = helpText(definition, usage);
  // The table's own types are checked above; the parser works on any table.
  const table = definition as unknown as CommandDefinition<OptionSpecs, ArgSpec | undefined>;
  return {
    name: definition.name,
    summary: definition.summary,
    usage,
    help,
    definition,
    async run(argv: readonly string[], io: CliIo): Promise<number> {
      try {
        const parsed = parseCommand(table, argv);
        if (parsed === undefined) {
          io.stdout.write(help);
          return EXIT_CODES.ok;
        }
        return await table.run(parsed, io);
      } catch (error) {
        if (error instanceof UsageError && error.usage === undefined) throw new UsageError(error.message, usage);
        throw error;
      }
    },
  };
}
