import type { Finding, IssueSeverity } from '@peerkit/model';

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** `1 error`, `2 errors`. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** Milliseconds as `850 ms` or `1.42 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** How a table column is aligned. */
export type Align = 'left' | 'right';

/**
 * Lays rows out in columns two spaces apart; trailing spaces are trimmed.
 *
 * @param rows - the cells, header row first if there is one
 * @param align - alignment per column (default left)
 */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Wraps text at spaces into lines of at most `width` characters (a longer word stays whole).
 *
 * @param text - one paragraph
 * @param width - the longest line (default 100, as the help texts)
 * @returns the lines
 */
export function wrapText(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * One `--json` result: the value as one line of JSON, with the newline.
 *
 * @param value - the result object; lists in it are never cut short
 * @returns the text to write to standard output
 */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

const SEVERITY_ORDER: Readonly<Record<IssueSeverity, number>> = { error: 0, warning: 1, information: 2 };

/**
 * Findings grouped by code, errors first: each code with its severity and count, and its message
 * (each distinct message with its count when they differ), indented two spaces.
 *
 * @param findings - any findings (`Finding` of `@peerkit/model` and its extensions)
 * @returns the lines
 */
export function formatFindingsByCode(findings: readonly Finding[]): string[] {
  const byCode = new Map<string, { severity: IssueSeverity; count: number; messages: Map<string, number> }>();
  for (const { code, severity, message } of findings) {
    const group = byCode.get(code) ?? { severity, count: 0, messages: new Map<string, number>() };
    group.count++;
    group.messages.set(message, (group.messages.get(message) ?? 0) + 1);
    byCode.set(code, group);
  }
  const groups = [...byCode].sort(([a, x], [b, y]) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || a.localeCompare(b));
  const heads = formatTable(
    groups.map(([code, { severity, count }]) => [`  ${severity}`, code, formatCount(count)]),
    ['left', 'left', 'right'],
  );
  return groups.flatMap(([, { messages }], i) => {
    const [only] = messages.keys();
    if (messages.size === 1) return [`${heads[i] ?? ''}  ${only ?? ''}`];
    return [heads[i] ?? '', ...formatTable([...messages].map(([message, n]) => [`      ${formatCount(n)}`, message]), ['right', 'left'])];
  });
}
