import { toClinicExport, type ClinicRecord, type Issue } from '@peerkit/model';
import {
  checkCrisisFollowUp,
  createPeerLookup,
  INSTRUMENTS,
  matchesInstrument,
  scoreQuestionnaireResponse,
  toScoreObservation,
  type CrisisFollowUp,
  type InstrumentDefinition,
  type InstrumentScore,
  type PeerLookup,
} from '@peerkit/outcomes';
import { EXIT_CODES } from '../exit-codes';
import { readClinicFile } from '../internal/clinic-file';
import { defineCommand } from '../internal/define-command';
import { writeOutputFile } from '../internal/files';
import { formatCount, formatFindingsByCode, formatJson, formatTable, plural } from '../internal/format';
import { readJsonLines } from '../internal/ndjson';

/** What one line of the responses file gave. */
interface ScoredLine {
  readonly line: number;
  /** The instrument the response names; null when it names none PeerKit scores. */
  readonly instrumentId: string | null;
  /** The score; null when the response could not be scored (its issues say why). */
  readonly score: InstrumentScore | null;
  /** The follow-up of a crisis answer, checked against the clinic (with --clinic and a known peer). */
  readonly followUp?: CrisisFollowUp['status'];
  /** What the follow-up check found, when it did not fail (a missing follow-up fails with its finding). */
  readonly crisis?: CrisisFollowUp;
  readonly issues: readonly Issue[];
}

const INSTRUMENT_NAMES = INSTRUMENTS.map((i) => i.id).join(', ');

const withLine = (issues: readonly Issue[], line: number): Issue[] => issues.map((issue) => ({ ...issue, line }));

/** The questionnaire a response names, or undefined. */
function questionnaireOf(value: unknown): string | undefined {
  const questionnaire = (value as { questionnaire?: unknown } | null)?.questionnaire;
  return typeof questionnaire === 'string' ? questionnaire : undefined;
}

function scoreLine(line: number, response: unknown, clinic: { records: readonly ClinicRecord[]; peerOf: PeerLookup } | undefined): ScoredLine & { instrument?: InstrumentDefinition } {
  const canonical = questionnaireOf(response);
  const instrument = canonical === undefined ? undefined : INSTRUMENTS.find((i) => matchesInstrument(canonical, i));
  if (instrument === undefined) {
    const issue: Issue = {
      severity: 'error',
      code: 'outcomes.questionnaire-mismatch',
      path: ['questionnaire'],
      line,
      message: `The response names no Questionnaire of an instrument PeerKit scores (${INSTRUMENT_NAMES}); not scored`,
    };
    return { line, instrumentId: null, score: null, issues: [issue] };
  }
  const result = scoreQuestionnaireResponse(response, instrument);
  const issues = withLine(result.issues, line);
  const scored = { line, instrumentId: instrument.id, score: result.ok ? result.value : null, instrument };
  const peerId = result.ok && clinic !== undefined ? clinic.peerOf(result.value.subject) : undefined;
  if (clinic === undefined || peerId === undefined) return { ...scored, issues };
  const followUp = checkCrisisFollowUp(response, instrument, clinic.records, { peerId });
  const crisisIssues = withLine(followUp.issues, line);
  const found = followUp.ok ? { followUp: followUp.value.status, crisis: followUp.value } : { followUp: 'missing' as const };
  return { ...scored, ...found, issues: [...issues, ...crisisIssues] };
}

function humanReport(file: string, lines: readonly ScoredLine[], findings: readonly Issue[], extra: { clinic: boolean; fhir?: string; observations: number }): string {
  const scored = lines.filter((l) => l.score !== null);
  const out = [`${file}: ${plural(lines.length, 'response')} read: ${formatCount(scored.length)} scored, ${formatCount(lines.length - scored.length)} not scored`];
  const rows = INSTRUMENTS.flatMap((instrument) => {
    const scores = scored.filter((l) => l.instrumentId === instrument.id).map((l) => l.score as InstrumentScore);
    if (scores.length === 0) return [];
    const mean = scores.reduce((sum, s) => sum + s.total, 0) / scores.length;
    const bands = instrument.bands
      .map((band) => [band.code, scores.filter((s) => s.band.code === band.code).length] as const)
      .filter(([, n]) => n > 0)
      .map(([band, n]) => `${band} ${formatCount(n)}`);
    return [[`  ${instrument.id}`, formatCount(scores.length), mean.toFixed(1), bands.join(', ')]];
  });
  if (rows.length > 0) out.push(...formatTable([['  instrument', 'scored', 'mean', 'bands'], ...rows], ['left', 'right', 'right', 'left']));
  const crisis = scored.filter((l) => (l.score?.crisisItems.length ?? 0) > 0);
  if (crisis.length > 0) {
    if (extra.clinic) {
      const byStatus = new Map<string, number>();
      for (const { followUp = 'not checked: peer not in the clinic' } of crisis) byStatus.set(followUp, (byStatus.get(followUp) ?? 0) + 1);
      out.push(`crisis answers: ${formatCount(crisis.length)} (follow-up: ${[...byStatus].map(([status, n]) => `${formatCount(n)} ${status}`).join(', ')})`);
    } else {
      out.push(`crisis answers: ${formatCount(crisis.length)} (give --clinic <clinic.ndjson> to check their follow-up)`);
    }
  }
  if (findings.length > 0) out.push('findings by code:', ...formatFindingsByCode(findings));
  if (extra.fhir !== undefined) {
    const without = scored.length - extra.observations;
    out.push(`fhir: ${plural(extra.observations, 'Observation')} written → ${extra.fhir}${without > 0 ? ` (${plural(without, 'score')} without a subject not written)` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** `peerkit score`: scores instrument responses (BARC-10, PHQ-9, GAD-7). */
export const scoreCommand = defineCommand({
  name: 'score',
  summary: 'score instrument responses (BARC-10, PHQ-9, GAD-7), check crisis follow-up, write score Observations',
  description: `Scores QuestionnaireResponses (NDJSON, one a line) of the instruments PeerKit ships (BARC-10,
PHQ-9, GAD-7), the way their authors publish them: an unanswered item or an answer off the scale
gives no total, never a silent score. With the clinic export, a crisis answer (PHQ-9 item 9 above 0)
is checked for a documented follow-up in the peer's encounters and referrals.`,
  arg: { name: '<responses.ndjson>', needs: 'the responses to score', oneAtATime: 'scores one file at a time' },
  options: {
    clinic: { type: 'string', value: '<clinic.ndjson>', help: "the clinic export: each response's peer (by its Patient) and their follow-up" },
    fhir: { type: 'string', value: '<out.ndjson>', help: 'write each score as a FHIR R4 Observation, one a line' },
  },
  json: 'print one JSON object with every response: its instrument, score, crisis follow-up and findings',
  notes: 'Findings name fields and linkIds, never an answer.',
  exits: {
    ok: 'every response scored, no crisis answer without follow-up',
    problems: 'some responses could not be scored, or a crisis answer has no documented follow-up',
  },
  async run({ arg: file, values, json }, io) {
    const read = await readJsonLines(io, file, 'a file of QuestionnaireResponses', 'outcomes.response-invalid');
    let clinic: { records: readonly ClinicRecord[]; peerOf: PeerLookup } | undefined;
    if (values.clinic !== undefined) {
      const { records } = await readClinicFile(io, values.clinic, { keepRecords: true, maxIssues: 0, crossRecord: false });
      clinic = { records, peerOf: createPeerLookup(records) };
    }
    const scoredLines = read.values.map(({ line, value }) => scoreLine(line, value, clinic));
    const notJson = read.invalid.map((issue): ScoredLine => ({ line: issue.line ?? 0, instrumentId: null, score: null, issues: [issue] }));
    const lines = [...scoredLines, ...notJson].sort((a, b) => a.line - b.line);
    const findings = lines.flatMap((l) => l.issues);

    const observations: NonNullable<ReturnType<typeof toScoreObservation>>[] = [];
    if (values.fhir !== undefined) {
      for (const { score, instrument } of scoredLines) {
        const observation = score === null || instrument === undefined ? undefined : toScoreObservation(score, instrument);
        if (observation !== undefined) observations.push(observation);
      }
      await writeOutputFile(io, values.fhir, toClinicExport(observations));
    }

    const failed = lines.some((l) => l.score === null) || findings.some((f) => f.severity === 'error');
    const exitCode = failed ? EXIT_CODES.problems : EXIT_CODES.ok;
    if (json) {
      const results = lines.map(({ line, instrumentId, score, followUp, crisis, issues }) => ({
        line,
        instrumentId,
        score,
        ...(followUp === undefined ? {} : { followUp }),
        ...(crisis === undefined ? {} : { crisis }),
        issues,
      }));
      const scored = lines.filter((l) => l.score !== null).length;
      const fhir = values.fhir === undefined ? {} : { fhir: values.fhir, observations: observations.length };
      io.stdout.write(formatJson({ file, responses: lines.length, scored, results, findings, ...fhir, exitCode }));
    } else {
      io.stdout.write(humanReport(file, lines, findings, { clinic: clinic !== undefined, observations: observations.length, ...(values.fhir === undefined ? {} : { fhir: values.fhir }) }));
    }
    return exitCode;
  },
});
