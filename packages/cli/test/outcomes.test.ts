import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, peerkit, tempDir } from './helpers';

interface ScoreJson {
  file: string;
  responses: number;
  scored: number;
  results: { line: number; instrumentId: string | null; score: { total: number; crisisItems: string[] } | null; followUp?: string; issues: { code: string }[] }[];
  findings: { code: string; severity: string; line?: number }[];
  observations?: number;
  exitCode: number;
}

const lines = (text: string): string[] => text.trimEnd().split('\n');

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const run = peerkit(['generate', '--seed', '7', '--peers', '40', '--weeks', '12', '--out', 'clinic.ndjson', '--responses', 'responses.ndjson', '--json'], dir);
  expect(run.code).toBe(0);
});
afterAll(() => cleanup());

const read = (file: string): string => readFileSync(join(dir, file), 'utf8');

describe('peerkit generate --responses', () => {
  it('writes instrument responses answered at the clinic, the same for the same seed', () => {
    const responses = lines(read('responses.ndjson')).map((l) => JSON.parse(l) as { resourceType: string; questionnaire: string; status: string });
    expect(responses.length).toBeGreaterThan(50);
    expect(new Set(responses.map((r) => r.resourceType))).toEqual(new Set(['QuestionnaireResponse']));
    expect(new Set(responses.map((r) => r.questionnaire.split('/').at(-1)))).toEqual(new Set(['barc-10', 'phq-9', 'gad-7']));
    const again = peerkit(['generate', '--seed', '7', '--peers', '40', '--weeks', '12', '--out', 'clinic-2.ndjson', '--responses', 'responses-2.ndjson', '--json'], dir);
    expect(JSON.parse(again.stdout)).toMatchObject({ responses: { file: 'responses-2.ndjson', count: responses.length }, exitCode: 0 });
    expect(read('responses-2.ndjson')).toBe(read('responses.ndjson'));
  });
});

describe('peerkit score', () => {
  it('scores every response and prints the scored counts, mean and bands by instrument', () => {
    const run = peerkit(['score', 'responses.ndjson'], dir);
    const count = lines(read('responses.ndjson')).length;
    expect(run.stdout).toContain(`responses.ndjson: ${count} responses read: ${count} scored, 0 not scored`);
    expect(run.stdout).toMatch(/^\s+phq-9\s+\d+\s+\d+\.\d\s+.*(minimal|mild|moderate)/m);
    expect(run.stdout).toMatch(/^\s+barc-10\s+\d+/m);
    // Without the clinic, a crisis answer is flagged and its follow-up cannot be checked.
    if (run.stdout.includes('crisis answers')) expect(run.stdout).toContain('give --clinic <clinic.ndjson> to check their follow-up');
    expect(run.code).toBe(0);
  });

  it('checks crisis answers against the clinic: exit 1 when one has no documented follow-up (crisis.no-follow-up)', () => {
    const run = peerkit(['score', 'responses.ndjson', '--clinic', 'clinic.ndjson', '--json'], dir);
    const out = JSON.parse(run.stdout) as ScoreJson;
    const crisis = out.results.filter((r) => (r.score?.crisisItems.length ?? 0) > 0);
    expect(crisis.length).toBeGreaterThan(0);
    // Every crisis answer's peer is found in the clinic (by Patient reference or identifier) and judged.
    expect(crisis.every((r) => r.followUp === 'documented' || r.followUp === 'missing')).toBe(true);
    const missing = crisis.filter((r) => r.followUp === 'missing').length;
    expect(out.findings.filter((f) => f.code === 'crisis.no-follow-up')).toHaveLength(missing);
    expect(run.code).toBe(missing > 0 ? 1 : 0);
    expect(out.exitCode).toBe(run.code);
    const text = peerkit(['score', 'responses.ndjson', '--clinic', 'clinic.ndjson'], dir);
    expect(text.stdout).toMatch(new RegExp(`crisis answers: ${crisis.length} \\(follow-up: .*${missing} missing`));
  });

  it('writes each score as an Observation with --fhir', () => {
    const run = peerkit(['score', 'responses.ndjson', '--fhir', 'scores.ndjson', '--json'], dir);
    const out = JSON.parse(run.stdout) as ScoreJson;
    const observations = lines(read('scores.ndjson')).map((l) => JSON.parse(l) as { resourceType: string; derivedFrom: { reference: string }[]; subject: unknown });
    expect(observations).toHaveLength(out.scored);
    expect(out.observations).toBe(out.scored);
    expect(observations.every((o) => o.resourceType === 'Observation' && o.subject !== undefined && o.derivedFrom[0]?.reference.startsWith('QuestionnaireResponse/'))).toBe(true);
  });

  it('never gives a silent score: a line that is not JSON, an unknown questionnaire and an unanswered item are not scored (exit 1)', () => {
    const [first = '', second = ''] = lines(read('responses.ndjson'));
    const unanswered = JSON.parse(second) as { item: unknown[] };
    unanswered.item = unanswered.item.slice(1);
    const unknown = { ...(JSON.parse(first) as object), questionnaire: 'https://example.org/Questionnaire/mirc' };
    writeFileSync(join(dir, 'broken.ndjson'), [first, 'not json', JSON.stringify(unknown), JSON.stringify(unanswered), ''].join('\n'));
    const run = peerkit(['score', 'broken.ndjson', '--json'], dir);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as ScoreJson;
    expect(out).toMatchObject({ responses: 4, scored: 1 });
    expect(out.results.map((r) => [r.line, r.score === null, r.issues.map((i) => i.code)])).toEqual([
      [1, false, expect.any(Array)],
      [2, true, ['outcomes.response-invalid']],
      [3, true, ['outcomes.questionnaire-mismatch']],
      [4, true, expect.arrayContaining(['outcomes.item-unanswered'])],
    ]);
    const text = peerkit(['score', 'broken.ndjson'], dir);
    expect(text.stdout).toContain('4 responses read: 1 scored, 3 not scored');
    expect(text.stdout).toMatch(/error\s+outcomes\.item-unanswered\s+1/);
  });

  it('exits 2 with one line for a missing file', () => {
    expect(oneLineError(peerkit(['score', 'nope.ndjson'], dir))).toBe('peerkit: nope.ndjson: no such file');
  });
});

describe('peerkit report', () => {
  it('writes the program report as one self-contained HTML page and its JSON twin', () => {
    const run = peerkit(['report', 'clinic.ndjson', '--responses', 'responses.ndjson', '--out', 'report.html'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^clinic\.ndjson: program report \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\n\s+contacts [\d,]+, minutes [\d,]+, people served 40/);
    expect(run.stdout).toContain('change reported for barc-10, phq-9, gad-7');
    expect(run.stdout).toContain('report: report.html (its JSON: report.json)');
    const html = read('report.html');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    const report = JSON.parse(read('report.json')) as { format: string; outcomes: { instrumentId: string }[]; billing?: unknown; findings: unknown[] };
    expect(report.format).toBe('peerkit-program-report/1');
    expect(report.outcomes.map((o) => o.instrumentId)).toEqual(['barc-10', 'phq-9', 'gad-7']);
    expect(report.billing).toBeDefined();
    // De-identified: no peer id, Patient reference or MRN reaches the page or its JSON.
    for (const text of [html, read('report.json')]) expect(text).not.toMatch(/peer-\d{5}|Patient\/ehr-|MRN\d/);
  });

  it('--json prints the report itself; a higher --min-cell-size suppresses more', () => {
    const base = JSON.parse(peerkit(['report', 'clinic.ndjson', '--out', 'r.html', '--json'], dir).stdout) as { json: string; report: { suppression: { suppressedCells: number } }; exitCode: number };
    expect(base).toMatchObject({ json: 'r.json', exitCode: 0 });
    expect(JSON.parse(read('r.json'))).toEqual(base.report);
    const strict = JSON.parse(peerkit(['report', 'clinic.ndjson', '--out', 'strict.html', '--min-cell-size', '50', '--json'], dir).stdout) as typeof base;
    expect(strict.report.suppression.suppressedCells).toBeGreaterThan(base.report.suppression.suppressedCells);
  });

  it.each([
    [['report', 'clinic.ndjson'], /report needs --out <report\.html>/],
    [['report', 'clinic.ndjson', '--out', 'report.json'], /--out is the HTML page/],
  ])('exits 2 for the usage error in %j', (args, message) => {
    const run = peerkit(args, dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });
});
