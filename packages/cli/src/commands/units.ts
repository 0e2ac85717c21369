import { UNIT_STRATEGIES, UNIT_STRATEGY_NAMES, unitsForDay } from '@peerkit/billing';
import { EXIT_CODES } from '../exit-codes';
import { defineCommand, parseInteger } from '../internal/define-command';
import { formatJson, formatTable, plural } from '../internal/format';

/** `peerkit units`: minutes to units under a strategy. */
export const unitsCommand = defineCommand({
  name: 'units',
  summary: 'convert minutes to billing units under a unit strategy',
  description: `Converts minutes of service to billing units under a strategy, for a quick check.
Several minutes (comma-separated) are one member's services on one day: CMS_TIMED_TOTAL adds them up
and gives the units to the longest services; the other strategies convert each on its own.`,
  details: `Strategies:
${formatTable(UNIT_STRATEGY_NAMES.map((name) => [`  ${name}`, UNIT_STRATEGIES[name].summary])).join('\n')}`,
  options: {
    minutes: { type: 'string', value: '<n>[,<n>…]', required: true, help: 'minutes of each service' },
    strategy: {
      type: 'string',
      value: '<name>',
      required: true,
      choices: UNIT_STRATEGY_NAMES,
      help: 'one of the strategies above (case and - or _ do not matter)',
    },
    'unit-minutes': { type: 'integer', value: '<n>', default: 15, min: 1, max: 1440, help: 'minutes in one unit (default 15)' },
  },
  json: 'print one JSON object',
  exits: { ok: 'converted' },
  async run({ values: { minutes: list, strategy, 'unit-minutes': unitMinutes }, json }, io) {
    const minutes = list.split(',').map((m) => parseInteger('--minutes', m, { max: 100_000 }));
    const byService = unitsForDay(minutes, strategy, { unitMinutes });
    const units = byService.reduce((s, n) => s + n, 0);
    const { source } = UNIT_STRATEGIES[strategy];
    if (json) {
      io.stdout.write(formatJson({ minutes, strategy, unitMinutes, units, byService, source }));
      return EXIT_CODES.ok;
    }
    const what = `${minutes.join(' + ')} ${minutes.length === 1 && minutes[0] === 1 ? 'minute' : 'minutes'}`;
    const lines = [`${what} under ${strategy} (${unitMinutes}-minute units): ${plural(units, 'unit')}`];
    if (minutes.length > 1) lines.push(`by service: ${byService.join(', ')}`);
    if (units === 0) lines.push('0 units: do not report (MIN_MINUTES)');
    lines.push(`source: ${source}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_CODES.ok;
  },
});
