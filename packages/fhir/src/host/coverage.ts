/**
 * Coverage → a `coverage` context item: the member's insurance as billing reads it — the payer
 * (`payor`: an Organization, resolved or as referenced), the member id (`subscriberId`, else the
 * identifier of type `MB`), the plan and group (`class`), when it is in force (`period`) and its
 * status. PeerKit keeps no Coverage record of its own from the host: `@peerkit/billing`
 * (`toBillingFacts`) turns these items into the peers' coverage.
 *
 * See: https://hl7.org/fhir/R4/coverage.html; US Core Coverage (identifier:memberid, type MB;
 * class:group, class:plan).
 */
import { patientOf, payerOf, rangeOf } from './internal/billing-facts';
import { textOf, type HostTypeReader } from './internal/fields';
import { codings, num, objs, str, type Json } from './internal/json';

/** Elements of a Coverage the context item carries. */
export const COVERAGE_MAPPED = ['status', 'beneficiary', 'payor', 'subscriberId', 'identifier', 'class', 'period', 'order', 'meta.lastUpdated'] as const;

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const COVERAGE_CLASS = 'http://terminology.hl7.org/CodeSystem/coverage-class';

/** The member id: `subscriberId`, else the value of the identifier of type `MB` (member number). */
function memberIdOf(coverage: Json): string | undefined {
  const subscriber = textOf(coverage.subscriberId, 80);
  if (subscriber !== undefined) return subscriber;
  const member = objs(coverage.identifier).find((i) => codings(i.type).some((c) => c.system === V2_0203 && c.code === 'MB'));
  return textOf(member?.value, 80);
}

/** The `class` of a type (`plan`, `group`): its value and name. */
function classOf(coverage: Json, type: string): { value: string; name?: string } | undefined {
  const found = objs(coverage.class).find((c) => codings(c.type).some((t) => t.system === COVERAGE_CLASS && t.code === type));
  const value = textOf(found?.value, 100);
  if (value === undefined) return undefined;
  const name = textOf(found?.name);
  return name === undefined ? { value } : { value, name };
}

/** Reads a Coverage into a `coverage` context item. */
export const coverageReader: HostTypeReader = {
  type: 'Coverage',
  read(entry, cx) {
    const coverage = entry.resource;
    const patient = patientOf(coverage.beneficiary, entry, cx);
    const status = str(coverage.status);
    const payers = objs(coverage.payor).flatMap((p) => payerOf(p, entry, cx) ?? []);
    const missing = [...(status === undefined ? ['status'] : []), ...(patient === undefined ? ['beneficiary'] : []), ...(payers.length === 0 ? ['payor'] : [])];
    if (patient === undefined || status === undefined || missing.length > 0) {
      cx.report('host.required-missing', entry, [], `Coverage: ${missing.join(', ')} missing (R4 requires status, beneficiary and a payor Organization)`);
      return;
    }
    const memberId = memberIdOf(coverage);
    const plan = classOf(coverage, 'plan');
    const group = classOf(coverage, 'group');
    const period = rangeOf(coverage.period);
    const order = num(coverage.order);
    cx.addContext(
      entry,
      {
        kind: 'coverage',
        id: cx.recordId(entry),
        ...patient,
        status,
        payers,
        ...(memberId === undefined ? {} : { memberId }),
        ...(plan === undefined ? {} : { plan }),
        ...(group === undefined ? {} : { group }),
        ...(period === undefined ? {} : { period }),
        ...(order === undefined ? {} : { order }),
      },
      COVERAGE_MAPPED,
    );
  },
};
