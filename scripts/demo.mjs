// npm run demo — PeerKit's main job, end to end, on the embedded FHIR server:
// generate a synthetic clinic export, validate it, run the safeguard checks, bill it under a payer
// pack (and write the 837P files), start the embedded FHIR server, sync everything, read it back,
// score the peers' instrument responses, write the program report, and print a report a clinic
// manager understands. Outputs go to out/demo/. Everything is synthetic and stays on this machine.
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  billedUnitsOf,
  billEncounters,
  collectBillingRecords,
  createMemoryBillingLedger,
  PAYER_PACKS,
  planLedgerClaims,
  readBillingLedger,
  summarizeBilling,
  toBillingFacts,
  toClaimLinesCsv,
  toFhirClaims,
  toProfessionalClaims,
} from '@peerkit/billing';
import { toX12Professional } from '@peerkit/billing/x12';
import { readHostFhir, toFhir, toTransactionBundles } from '@peerkit/fhir';
import { startFhirServer } from '@peerkit/fhir-server';
import { clinicToNdjson, createClinicExportReport, generateClinic, readClinicExport, toClinicExport } from '@peerkit/model';
import { createProgramReport, generateInstrumentResponses, INSTRUMENTS, matchesInstrument, scoreQuestionnaireResponse } from '@peerkit/outcomes';
import { renderProgramReportHtml } from '@peerkit/outcomes/html';
import { checkClinic, decideConsent, parseDisclosureRequest, readConsents } from '@peerkit/safeguards';
import { createFhirTransport, openFileOutbox, sync, toSyncEntries } from '@peerkit/sync';

const started = performance.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'demo');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const shown = relative(process.cwd(), outDir) || outDir;
const fmt = (n) => Number(n).toLocaleString('en-US');
const say = (text = '') => process.stdout.write(`${text}\n`);
const table = (rows, indent = '  ') => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) say(indent + r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
};
const step = (n, text) => say(`\n${n}. ${text}`);
const SEED = 7;
const PLANTED = 6;
const WEEKS = 12;

say('PeerKit demo: one synthetic peer support clinic, end to end on the embedded FHIR server');

// 1. Generate ──────────────────────────────────────────────────────────────────────────────────────
step(1, `Generate a synthetic clinic export (seed ${SEED}, 200 peers, ${WEEKS} weeks, ${PLANTED} broken lines planted on purpose)`);
const clinic = generateClinic({ seed: SEED, peers: 200, weeks: WEEKS, invalid: PLANTED });
const exportFile = join(outDir, 'clinic.ndjson');
writeFileSync(exportFile, clinicToNdjson(clinic));
say(`   ${fmt(clinic.records.length + clinic.invalid.length)} lines → ${relative(process.cwd(), exportFile)}`);

// 2. Validate (streaming, as a clinic's file would be read) ────────────────────────────────────────
step(2, 'Validate it');
const reporter = createClinicExportReport();
const records = [];
for await (const entry of readClinicExport(createReadStream(exportFile))) {
  reporter.add(entry);
  if (entry.result.ok) records.push(entry.result.value);
}
const validation = reporter.finish();
writeFileSync(join(outDir, 'validation.json'), `${JSON.stringify(validation, null, 2)}\n`);
table([['records by kind', 'valid', 'invalid'], ...Object.entries(validation.byKind).map(([k, c]) => [k, fmt(c.valid), fmt(c.invalid)]), ['total', fmt(validation.valid), fmt(validation.invalid)]]);
say(`   ${validation.invalid} invalid lines (${PLANTED} planted: ${validation.invalid === PLANTED ? 'all found' : 'NOT all found'}), ${fmt(validation.severityCounts.warning)} warnings`);

// 3. Safeguards: boundary and scope findings, consent decisions ────────────────────────────────────
step(3, 'Run the safeguard checks');
const check = checkClinic(records);
writeFileSync(join(outDir, 'findings.json'), `${JSON.stringify(check, null, 2)}\n`);
const byCategory = Object.entries(check.counts.byCategory).filter(([, n]) => n > 0);
table([['findings by category', 'count'], ...byCategory.map(([c, n]) => [c, fmt(n)])]);
say(`   by severity: ${fmt(check.counts.bySeverity.error)} errors, ${fmt(check.counts.bySeverity.warning)} warnings, ${fmt(check.counts.bySeverity.information)} information (findings.json has each with its rule, field and character span)`);

// Consent decisions: each consent's first named recipient asks for what the consent is about, at the
// end of the export window (so expired and revoked consents show up as such).
const mapped = toFhir(records);
if (!mapped.ok) throw new Error('demo: FHIR mapping failed');
const fhirConsents = readConsents(mapped.value.filter((r) => r.resourceType === 'Consent'));
const decisions = { PERMIT: 0, DENY: 0, NO_CONSENT: 0 };
const windowEnd = new Date(Date.parse('2026-01-05T12:00:00Z') + WEEKS * 7 * 86_400_000);
if (fhirConsents.ok) {
  for (const consent of fhirConsents.value) {
    const actor = consent.provision?.actor?.find((a) => a.reference?.identifier)?.reference?.identifier;
    if (!actor || !consent.patient) continue;
    const request = parseDisclosureRequest({
      patient: consent.patient,
      actor: [actor],
      purposeOfUse: (consent.provision?.purpose ?? []).map((p) => p.code).slice(0, 1),
      action: 'disclose',
      date: windowEnd.toISOString().slice(0, 10),
    });
    if (!request.ok) continue;
    const mine = fhirConsents.value.filter((c) => c.patient?.reference === consent.patient?.reference);
    decisions[decideConsent(mine, request.value, { now: windowEnd }).decision] += 1;
  }
}
table([['consent decisions (named recipient asks)', 'count'], ...Object.entries(decisions).map(([d, n]) => [d, fmt(n)])]);

// 4. Billing ───────────────────────────────────────────────────────────────────────────────────────
step(4, 'Bill it under the payer packs (generic Medicaid H0038, Medicare PIN G0140/G0146)');
const { encounters, ...billingContext } = collectBillingRecords(records);
const peerRecords = records.filter((r) => r.kind === 'peer');
// The billing facts come from the host EHR's own FHIR, as `peerkit bill --host-fhir` reads them: no
// evidence file. Synthetic here, in US Core shapes: each member's Patient, Coverage (the payer's
// X12 id, member id, period), an encounter diagnosis (Condition, ICD-10-CM), an order for peer support
// (ServiceRequest), and for every third member a prior authorization (ClaimResponse with preAuthRef).
const HOST_PAYERS = { 'medicaid-generic': 'EXMCD', 'medicare-pin': 'EXMCR', 'commercial-generic': 'EXCOM' };
const hostResources = [
  ...Object.entries(HOST_PAYERS).map(([payer, id]) => ({ resourceType: 'Organization', id: `payer-${payer}`, type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'pay' }] }], identifier: [{ system: 'https://example.org/peerkit-demo/payer-id', value: id }], name: `Example ${payer} plan` })),
  ...peerRecords.flatMap((p, i) => {
    const patientId = p.patient.reference?.slice('Patient/'.length) ?? `host-${i + 1}`;
    const subject = { reference: `Patient/${patientId}` };
    const enrolled = p.enrollments[0]?.start ?? '2025-01-01';
    const out = [
      { resourceType: 'Patient', id: patientId, identifier: p.patient.identifier ? [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, ...p.patient.identifier }] : [], birthDate: p.birthDate },
      ...p.coverage.map((c, j) => ({
        resourceType: 'Coverage', id: `cov-${i + 1}-${j + 1}`, status: 'active', beneficiary: subject, subscriberId: c.memberId,
        period: { start: c.start, ...(c.end ? { end: c.end } : {}) }, payor: [{ reference: `Organization/payer-${c.payerId}` }],
      })),
      { resourceType: 'Condition', id: `dx-${i + 1}`, clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] }, verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] }, category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }], code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F33.1' }] }, subject, onsetDateTime: '2024-06-01' },
      { resourceType: 'ServiceRequest', id: `order-${i + 1}`, status: 'active', intent: 'order', code: { coding: [{ system: 'http://snomed.info/sct', code: '461481000124109' }] }, subject, authoredOn: `${enrolled}T09:00:00-05:00` },
    ];
    if (i % 3 === 0) {
      out.push({ resourceType: 'ClaimResponse', id: `auth-${i + 1}`, status: 'active', use: 'preauthorization', patient: subject, created: `${enrolled}T09:00:00-05:00`, outcome: 'complete', preAuthRef: `PA-DEMO-${i + 1}`, preAuthPeriod: { start: enrolled, end: '2026-12-31' }, insurer: { reference: 'Organization/payer-medicaid-generic' }, addItem: [{ productOrService: { coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'H0038' }] }, quantity: { value: 96 } }] });
    }
    return out;
  }),
];
const hostBundle = { resourceType: 'Bundle', type: 'collection', entry: hostResources.map((resource) => ({ resource })) };
writeFileSync(join(outDir, 'host-fhir.json'), `${JSON.stringify(hostBundle)}\n`);
const host = readHostFhir(hostBundle, { asOf: '2026-04-01' });
const facts = toBillingFacts(host, { peers: billingContext.peers, packs: PAYER_PACKS, payerIds: { EXMCD: 'medicaid-generic', EXMCR: 'medicare-pin', EXCOM: 'commercial-generic' } });
const evidence = facts.evidence;
// Consent to the service (Medicare PIN): the same clinic generated with its service-consent records
// (no random draw, so every other record is the one above).
const serviceConsents = generateClinic({ seed: SEED, peers: 200, weeks: WEEKS, invalid: PLANTED, serviceConsents: true }).records.filter((r) => r.kind === 'service-consent');
const billingInput = { ...billingContext, peers: facts.peers, serviceConsents, packs: PAYER_PACKS, evidence };
const run = billEncounters(encounters, billingInput);
say(`   host FHIR (${relative(process.cwd(), join(outDir, 'host-fhir.json'))}, no evidence file): coverage for ${fmt(facts.summary.peersWithCoverage)} members, ${fmt(facts.summary.diagnoses)} diagnoses, ${fmt(facts.summary.serviceOrders)} orders, ${fmt(facts.summary.priorAuthorizations)} prior authorizations; ${fmt(serviceConsents.length)} service consents (Medicare PIN)`);
const billing = summarizeBilling(run);
const claims = toFhirClaims(run);
writeFileSync(join(outDir, 'claims.json'), `${JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: claims.map((resource) => ({ resource })) }, null, 2)}\n`);
writeFileSync(join(outDir, 'lines.csv'), toClaimLinesCsv(run));
say(`   ${fmt(billing.lines)} claim lines: ${fmt(billing.billableLines)} billable (${fmt(billing.units)} units), ${fmt(billing.heldLines)} held; ${fmt(claims.length)} FHIR Claims`);
table([['units by code', 'units'], ...Object.entries(billing.unitsByCode).map(([c, n]) => [c, fmt(n)])]);
const held = Object.entries(billing.heldByReason);
if (held.length > 0) table([['held lines by reason', 'lines'], ...held.map(([r, n]) => [r, fmt(n)])]);
if (billing.notBilled.length > 0) say(`   services with no pack for the member's payer (reported, not billed): ${fmt(billing.notBilled.length)}`);

// The 837P files a clearinghouse takes. The trading partners, the billing provider's tax id and
// address and the members' demographics are the host's in real life: here they are a synthetic
// claims config (what `peerkit bill --claims-config` reads).
const address = { line1: '1 Example Way', city: 'Harrisburg', state: 'PA', postalCode: '171010000' };
const claimsConfig = {
  submitter: { name: 'Riverbend Peer Recovery Collective', id: 'SUBDEMO01', contactName: 'Billing Desk', phone: '5555550100' },
  receiver: { name: 'Example Clearinghouse', id: 'RCVDEMO01' },
  billingProvider: { taxId: '004421894', address },
  payers: { 'medicaid-generic': { name: 'Example Medicaid Plan', id: 'EXMCD' }, 'medicare-pin': { name: 'Example Medicare Contractor', id: 'EXMCR' } },
  members: Object.fromEntries(
    peerRecords.map((p, i) => [p.id, { lastName: `Testpeer${i + 1}`, firstName: 'Synthetic', birthDate: p.birthDate ?? '1980-01-01', gender: 'U', address: { ...address, postalCode: '17101' } }]),
  ),
  chargePerUnit: { H0038: 15, G0140: 60, G0146: 30 },
};
const x12Claims = toProfessionalClaims(run, {
  ...claimsConfig,
  ...(billingContext.organization ? { organization: billingContext.organization } : {}),
  specialists: billingContext.specialists,
  evidence,
});
const x12Files = toX12Professional(x12Claims, { interchangeControlNumber: 1, createdAt: '2026-04-01T09:00' });
if (!x12Files.ok) throw new Error('demo: 837P writing failed');
const claimsDir = join(outDir, 'claims');
mkdirSync(claimsDir, { recursive: true });
for (const file of x12Files.value) writeFileSync(join(claimsDir, `837p-${file.payerId}-${file.interchangeControlNumber}.x12`), file.text);
const x12Claimed = x12Files.value.reduce((n, f) => n + f.claimControlNumbers.length, 0);
say(`   837P: ${fmt(x12Files.value.length)} files (one per payer, ${fmt(x12Claimed)} claims) → ${relative(process.cwd(), claimsDir)}/; ${fmt(x12Claims.omitted.length)} claims left out`);
// The billing ledger: what this run billed is recorded; the same export billed again sends nothing new.
const ledger = createMemoryBillingLedger();
const firstPlan = planLedgerClaims(x12Claims, await readBillingLedger(ledger.entries()), { covers: { start: '2026-01-01', end: '2026-03-31' }, recorded: '2026-04-01T09:00:00Z', members: claimsConfig.members, lines: run.lines });
await ledger.append(firstPlan.entries);
const state = await readBillingLedger(ledger.entries());
const again = billEncounters(encounters, { ...billingInput, billed: billedUnitsOf(state) });
const secondPlan = planLedgerClaims(toProfessionalClaims(again, { ...claimsConfig, ...(billingContext.organization ? { organization: billingContext.organization } : {}), specialists: billingContext.specialists, evidence }), state, { covers: { start: '2026-01-01', end: '2026-03-31' }, recorded: '2026-04-02T09:00:00Z', members: claimsConfig.members });
say(`   billing ledger: ${fmt(firstPlan.entries.length)} claims recorded; billing the same export again sends ${fmt(secondPlan.counts.original)} new claims (${fmt(secondPlan.counts.unchangedLines)} lines already billed)`);

// 5. Sync to the embedded FHIR server, then read it back ───────────────────────────────────────────
step(5, 'Start the embedded FHIR server and sync everything to it');
const [bundle] = toTransactionBundles(mapped.value);
writeFileSync(join(outDir, 'bundle.json'), `${JSON.stringify(bundle)}\n`);
const server = await startFhirServer({ port: 0 });
let summary;
try {
  say(`   server: ${server.baseUrl}`);
  const entries = toSyncEntries(records);
  if (!entries.ok) throw new Error('demo: sync entries failed');
  const outbox = await openFileOutbox(join(outDir, 'sync-state'));
  const events = {};
  try {
    summary = await sync({
      transport: createFhirTransport({ baseUrl: server.baseUrl }),
      outbox,
      entries: entries.value,
      batchSize: 100,
      concurrency: 2,
      onEvent: (event) => {
        events[event.type] = (events[event.type] ?? 0) + 1;
      },
    });
  } finally {
    await outbox.close();
  }
  writeFileSync(join(outDir, 'sync-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  say(`   queued ${fmt(summary.queued)} resources; confirmed ${fmt(summary.confirmed)}, retried ${fmt(summary.retried)}, dead-lettered ${fmt(summary.deadLettered)}, withheld ${fmt(summary.withheld)}; ${fmt(summary.requests)} HTTP requests`);
  say(`   progress events: ${Object.entries(events).map(([type, n]) => `${type} ${fmt(n)}`).join(', ')}`);

  step(6, 'Read it back from the server');
  const expected = {};
  for (const r of mapped.value) expected[r.resourceType] = (expected[r.resourceType] ?? 0) + 1;
  const rows = [['resources by type', 'on the server', 'mapped']];
  let allThere = true;
  for (const [type, count] of Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))) {
    const response = await fetch(`${server.baseUrl}/${type}?_summary=count`, { headers: { accept: 'application/fhir+json' } });
    const total = (await response.json()).total ?? 0;
    if (total < count) allThere = false;
    rows.push([type, fmt(total), fmt(count)]);
  }
  table(rows);
  say(`   ${allThere ? 'every mapped resource is on the server (Provenance also holds the sync run\'s own records)' : 'SOME RESOURCES ARE MISSING on the server'}`);
  if (!allThere || summary.deadLettered > 0 || !summary.finished) process.exitCode = 1;
} finally {
  await server.close();
}

// 7. Outcomes: instrument responses, scored ────────────────────────────────────────────────────────
step(7, 'Generate the peers\' instrument responses (BARC-10, PHQ-9, GAD-7) and score them');
const responses = generateInstrumentResponses(clinic, { seed: SEED }).map((g) => g.response);
writeFileSync(join(outDir, 'responses.ndjson'), toClinicExport(responses));
const scoredBy = {};
let crisisAnswers = 0;
let unscored = 0;
for (const response of responses) {
  const instrument = INSTRUMENTS.find((i) => matchesInstrument(response.questionnaire, i));
  const result = instrument ? scoreQuestionnaireResponse(response, instrument) : { ok: false };
  if (!result.ok) {
    unscored += 1;
    continue;
  }
  const row = (scoredBy[instrument.id] ??= { scored: 0, total: 0 });
  row.scored += 1;
  row.total += result.value.total;
  if (result.value.crisisItems.length > 0) crisisAnswers += 1;
}
table([['instrument', 'scored', 'mean total'], ...Object.entries(scoredBy).map(([id, r]) => [id, fmt(r.scored), (r.total / r.scored).toFixed(1)])]);
say(`   ${fmt(responses.length)} responses, ${fmt(unscored)} not scored; ${fmt(crisisAnswers)} crisis answers (PHQ-9 item 9) to follow up`);

// 8. The program report ────────────────────────────────────────────────────────────────────────────
step(8, 'Write the program report (de-identified: aggregates only, small counts suppressed)');
const programReport = createProgramReport(records, responses, { billing, findings: check.findings });
const reportFile = join(outDir, 'report.html');
writeFileSync(reportFile, await renderProgramReportHtml(programReport));
writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(programReport, null, 2)}\n`);
say(`   report: ${relative(process.cwd(), reportFile)} (and report.json); ${fmt(programReport.suppression.suppressedCells)} small cells suppressed`);

say('\nSummary');
say(`  ${fmt(validation.valid)} valid records (${validation.invalid} broken lines found), ${fmt(check.findings.length + check.findingsOmitted)} safeguard findings`);
say(`  ${fmt(billing.billableLines)} billable claim lines, ${fmt(billing.units)} units; ${fmt(billing.heldLines)} held with reasons`);
say(`  ${fmt(x12Files.value.length)} 837P files written to ${relative(process.cwd(), claimsDir)}/ (${fmt(x12Claimed)} claims)`);
say(`  ${fmt(summary?.confirmed ?? 0)} resources synced and confirmed by the embedded FHIR server`);
say(`  ${fmt(responses.length - unscored)} instrument responses scored; program report: ${relative(process.cwd(), reportFile)}`);
say(`  outputs in ${shown}/: clinic.ndjson, validation.json, findings.json, claims.json, lines.csv, host-fhir.json, claims/*.x12, bundle.json, sync-summary.json, responses.ndjson, report.html, report.json`);
say(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
