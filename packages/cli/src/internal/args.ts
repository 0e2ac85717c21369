import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/** Node's parse errors quote the option (`'--seed'` or `'-s, --seed <value>'`); keep just its name. */
function optionNamed(message: string): string {
  const quoted = /'(?:-\w, )?(--?[\w-]+)/.exec(message);
  return quoted?.[1] ?? 'an option';
}

/**
 * `parseArgs` in strict mode, with its errors turned into usage errors that name the option.
 *
 * @param argv - the arguments after the command name
 * @param options - the command's options
 * @param usage - the command's usage line, printed after the message
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
  usage: string,
): Parsed<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : '';
    const name = optionNamed(message);
    switch (code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw usageError(`unknown option ${name}`, usage);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw usageError(
          message.includes('does not take an argument')
            ? `option ${name} takes no value`
            : `option ${name} needs a value (for a value starting with '-', write ${name}=<value>)`,
          usage,
        );
      default:
        throw usageError('invalid arguments', usage);
    }
  }
}

/** Limits of {@link parseInteger}. */
export interface IntegerLimits {
  /** Smallest accepted value. Default 0. */
  readonly min?: number;
  /** Largest accepted value. Default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
}

/**
 * Parses a whole-number option value, or throws a usage error naming the option and the rule.
 *
 * @param option - the option as the user writes it, e.g. `--peers`
 * @param raw - the value given
 * @param usage - the command's usage line (inside a `defineCommand` command, `undefined`: it adds its own)
 * @param limits - see {@link IntegerLimits}
 * @returns the number
 */
export function parseInteger(option: string, raw: string, usage: string | undefined, limits: IntegerLimits = {}): number {
  const min = limits.min ?? 0;
  const max = limits.max ?? Number.MAX_SAFE_INTEGER;
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw usageError(`${option} must be a whole number`, usage);
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw usageError(`${option} must be ${range}`, usage);
  }
  return value;
}
