import {
  allocateUnits,
  isUnitStrategy,
  UNIT_STRATEGIES,
  UNIT_STRATEGY_NAMES,
  unitsForMinutes,
  type UnitStrategy,
} from '@peerkit/billing';
import type { CliIo } from '../cli-io';
import { parseCommandArgs, parseInteger } from '../internal/args';
import { CliError } from '../internal/cli-error';
import { formatTable, plural } from '../internal/format';
import type { Command } from './command';

const USAGE = 'usage: peerkit units --minutes <n>[,<n>…] --strategy <name> [--unit-minutes <n>] [--json]';

const HELP = `Converts minutes of service to billing units under a strategy, for a quick check.
Several minutes (comma-separated) are one member's services on one day: CMS_TIMED_TOTAL adds them up
and gives the units to the longest services; the other strategies convert each on its own.

${USAGE}

Strategies:
${formatTable(UNIT_STRATEGY_NAMES.map((name) => [`  ${name}`, UNIT_STRATEGIES[name].summary])).join('\n')}

Options:
  --minutes <n>[,<n>…]   minutes of each service
  --strategy <name>      one of the strategies above (case and - or _ do not matter)
  --unit-minutes <n>     minutes in one unit (default 15)
  --json                 print one JSON object
  -h, --help             show this help
`;

function strategyNamed(raw: string): UnitStrategy {
  const name = raw.trim().toUpperCase().replaceAll('-', '_');
  if (!isUnitStrategy(name)) {
    throw new CliError(`--strategy must be one of: ${UNIT_STRATEGY_NAMES.join(', ')}`, 2, USAGE);
  }
  return name;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      minutes: { type: 'string' },
      strategy: { type: 'string' },
      'unit-minutes': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError('units takes no file argument', 2, USAGE);
  if (values.minutes === undefined) throw new CliError('units needs --minutes <n>', 2, USAGE);
  if (values.strategy === undefined) throw new CliError(`units needs --strategy <name> (${UNIT_STRATEGY_NAMES.join(', ')})`, 2, USAGE);
  const strategy = strategyNamed(values.strategy);
  const minutes = values.minutes.split(',').map((m) => parseInteger('--minutes', m, USAGE, { max: 100_000 }));
  const unitMinutes =
    values['unit-minutes'] === undefined ? 15 : parseInteger('--unit-minutes', values['unit-minutes'], USAGE, { min: 1, max: 1440 });

  const byService = UNIT_STRATEGIES[strategy].sumsSameDay
    ? allocateUnits(minutes, strategy, { unitMinutes })
    : minutes.map((m) => unitsForMinutes(m, strategy, { unitMinutes }));
  const units = byService.reduce((s, n) => s + n, 0);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ minutes, strategy, unitMinutes, units, byService, source: UNIT_STRATEGIES[strategy].source })}\n`);
    return 0;
  }
  const what = `${minutes.join(' + ')} ${minutes.length === 1 && minutes[0] === 1 ? 'minute' : 'minutes'}`;
  const lines = [`${what} under ${strategy} (${unitMinutes}-minute units): ${plural(units, 'unit')}`];
  if (minutes.length > 1) lines.push(`by service: ${byService.join(', ')}`);
  if (units === 0) lines.push('0 units: do not report (MIN_MINUTES)');
  lines.push(`source: ${UNIT_STRATEGIES[strategy].source}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** `peerkit units`: minutes to units under a strategy. */
export const unitsCommand: Command = {
  name: 'units',
  summary: 'convert minutes to billing units under a unit strategy',
  usage: USAGE,
  run,
};
