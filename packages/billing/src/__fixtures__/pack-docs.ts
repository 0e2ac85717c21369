/**
 * Renders the README's tables from the data (the docs test checks the README holds them verbatim).
 */
import { CARC_CODES, CLAIM_ADJUSTMENT_GROUPS, RARC_CODES } from '../adjustment-codes';
import { BILLING_CHECKS, type BillingCheck } from '../checks';
import { CLAIM_LINE_CSV_COLUMNS } from '../csv';
import type { PayerPack } from '../pack-schema';
import { DEFAULT_PLACE_OF_SERVICE } from '../packs/common';
import { PLACE_OF_SERVICE_CODES } from '../place-of-service';

const CITED = new Set(['source', 'status', 'note']);

function isCited(node: unknown): node is Record<string, unknown> & { source: string; status: string } {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && 'source' in node && 'status' in node;
}

function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${compact(v)}`).join(', ')}}`;
  }
  return String(value);
}

function esc(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function ownValue(node: Record<string, unknown>): unknown {
  if ('value' in node) return node.value;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!CITED.has(k) && !isCited(v)) rest[k] = v;
  return rest;
}

function rows(node: unknown, path: string, out: string[][]): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => rows(child, `${path}[${i}]`, out));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (isCited(record)) {
    out.push([`\`${path}\``, esc(compact(ownValue(record))), record.source, record.status, esc(String(record.note ?? ''))]);
  }
  for (const [key, child] of Object.entries(record)) {
    if (key === 'sources' || (isCited(record) && key === 'value')) continue;
    rows(child, path === '' ? key : `${path}.${key}`, out);
  }
}

/** The figure table of one pack (place of service rows left out when they are the default table). */
export function packTable(pack: PayerPack): string {
  const out: string[][] = [];
  const { placeOfService, ...rest } = pack;
  rows(rest, '', out);
  const { bySetting, telehealthHome, telehealthOther, ...posRest } = placeOfService;
  const isDefault =
    JSON.stringify({ bySetting, telehealthHome, telehealthOther }) ===
    JSON.stringify({
      bySetting: DEFAULT_PLACE_OF_SERVICE.bySetting,
      telehealthHome: DEFAULT_PLACE_OF_SERVICE.telehealthHome,
      telehealthOther: DEFAULT_PLACE_OF_SERVICE.telehealthOther,
    });
  rows(isDefault ? posRest : placeOfService, 'placeOfService', out);
  const lines = ['| figure | value | source | status | note |', '|---|---|---|---|---|'];
  for (const row of out) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** The default place-of-service table. */
export function placeOfServiceTable(): string {
  const lines = ['| setting / case | POS | source | status | note |', '|---|---|---|---|---|'];
  for (const [setting, f] of Object.entries(DEFAULT_PLACE_OF_SERVICE.bySetting)) {
    lines.push(`| ${setting} (in person) | ${f.value} | ${f.source} | ${f.status} | ${esc(f.note ?? '')} |`);
  }
  const { telehealthHome: h, telehealthOther: o } = DEFAULT_PLACE_OF_SERVICE;
  lines.push(`| video or audio-only, member at home | ${h.value} | ${h.source} | ${h.status} | ${esc(h.note ?? '')} |`);
  lines.push(`| video or audio-only, member elsewhere | ${o.value} | ${o.source} | ${o.status} | ${esc(o.note ?? '')} |`);
  return lines.join('\n');
}

/** The CSV column table. */
export function csvTable(): string {
  return ['| column | content |', '|---|---|', ...CLAIM_LINE_CSV_COLUMNS.map((c) => `| \`${c.name}\` | ${esc(c.description)} |`)].join('\n');
}

/** The check table. */
export function checkTable(): string {
  return [
    '| check | issue code | holds a line when | basis |',
    '|---|---|---|---|',
    ...(Object.keys(BILLING_CHECKS) as BillingCheck[]).map((k) => {
      const c = BILLING_CHECKS[k];
      return `| \`${k}\` | \`${c.code}\` | ${esc(c.summary)} | ${esc(c.source)} |`;
    }),
  ].join('\n');
}

/** The CMS place of service code set: assigned codes one per row, unassigned ones as ranges. */
export function codeSetTable(): string {
  const lines = ['| POS | name |', '|---|---|'];
  const codes = Object.values(PLACE_OF_SERVICE_CODES).sort((a, b) => (a.code < b.code ? -1 : 1));
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 0) lines.push(`| ${run.length === 1 ? run[0] : `${run[0]}–${run.at(-1)}`} | *unassigned* |`);
    run = [];
  };
  for (const c of codes) {
    if (c.status === 'unassigned') {
      run.push(c.code);
      continue;
    }
    flush();
    lines.push(`| ${c.code} | ${esc(c.name ?? '')} |`);
  }
  flush();
  return lines.join('\n');
}

/** The adjustment group, CARC and RARC tables. */
export function adjustmentCodeTable(): string {
  const rows = (kind: string, table: Readonly<Record<string, { meaning: string; source: string }>>): string[] =>
    Object.entries(table).map(([code, c]) => `| ${kind} | \`${code}\` | ${esc(c.meaning)} | ${c.source} |`);
  return [
    '| list | code | meaning | source |',
    '|---|---|---|---|',
    ...rows('group', CLAIM_ADJUSTMENT_GROUPS),
    ...rows('CARC', CARC_CODES),
    ...rows('RARC', RARC_CODES),
  ].join('\n');
}
