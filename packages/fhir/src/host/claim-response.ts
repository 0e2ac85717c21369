/**
 * ClaimResponse → a `claim-response` context item: a payer's answer to a claim or to a prior
 * authorization request as billing reads it — use, outcome, the authorization number (`preAuthRef`)
 * and the period it covers (`preAuthPeriod`), the insurer, and the services it answers for: each
 * `addItem` (service code, quantity, dates) and each `item` whose request `Claim` (contained or in the
 * input) names the service. `@peerkit/billing` (`toBillingFacts`) turns the authorizations into
 * prior-authorization evidence.
 *
 * See: https://hl7.org/fhir/R4/claimresponse.html; Da Vinci PAS (ClaimResponse.preAuthRef,
 * preAuthPeriod).
 */
import type { HostClaimResponse } from './types';
import { codesOf, patientOf, payerOf, rangeOf } from './internal/billing-facts';
import { dateOf, textOf, type HostTypeReader } from './internal/fields';
import { num, obj, objs, str, type Json } from './internal/json';

/** Elements of a ClaimResponse the context item carries. */
export const CLAIM_RESPONSE_MAPPED = [
  'status',
  'use',
  'patient',
  'created',
  'insurer',
  'outcome',
  'preAuthRef',
  'preAuthPeriod',
  'request',
  'item',
  'addItem',
  'contained',
  'meta.lastUpdated',
] as const;

type Item = HostClaimResponse['items'][number];

/** What a claim item or an added item says of its service: code, units and dates. */
function serviceOf(item: Json): Item {
  const [code] = codesOf(item.productOrService);
  const units = num(obj(item.quantity)?.value);
  const date = dateOf(item.servicedDate);
  const period = rangeOf(item.servicedPeriod);
  const from = date ?? period?.start;
  const to = date ?? period?.end;
  return {
    ...(code === undefined ? {} : { code }),
    ...(units === undefined || units < 0 ? {} : { units }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

const isEmpty = (item: Item): boolean => item.code === undefined && item.units === undefined && item.from === undefined;

/** Reads a ClaimResponse into a `claim-response` context item. */
export const claimResponseReader: HostTypeReader = {
  type: 'ClaimResponse',
  read(entry, cx) {
    const response = entry.resource;
    const patient = patientOf(response.patient, entry, cx);
    const status = str(response.status);
    const missing = [...(status === undefined ? ['status'] : []), ...(patient === undefined ? ['patient'] : [])];
    if (patient === undefined || status === undefined) {
      cx.report('host.required-missing', entry, [], `ClaimResponse: ${missing.join(', ')} missing (R4 requires status and the Patient)`);
      return;
    }
    const request = cx.resolve(response.request, entry);
    cx.useContained(request);
    const claimItems = request?.type === 'Claim' ? objs(request.resource.item) : [];
    const items: Item[] = [];
    for (const item of objs(response.item)) {
      const requested = claimItems.find((c) => c.sequence === item.itemSequence);
      if (requested !== undefined) items.push(serviceOf(requested));
    }
    for (const added of objs(response.addItem)) items.push(serviceOf(added));
    const use = str(response.use);
    const outcome = str(response.outcome);
    const created = dateOf(response.created);
    const preAuthRef = textOf(response.preAuthRef, 100);
    const preAuthPeriod = rangeOf(response.preAuthPeriod);
    const insurer = payerOf(response.insurer, entry, cx);
    cx.addContext(
      entry,
      {
        kind: 'claim-response',
        id: cx.recordId(entry),
        ...patient,
        status,
        ...(use === undefined ? {} : { use }),
        ...(outcome === undefined ? {} : { outcome }),
        ...(created === undefined ? {} : { created }),
        ...(preAuthRef === undefined ? {} : { preAuthRef }),
        ...(preAuthPeriod === undefined ? {} : { preAuthPeriod }),
        ...(insurer === undefined ? {} : { insurer }),
        items: items.filter((i) => !isEmpty(i)),
      },
      CLAIM_RESPONSE_MAPPED,
    );
  },
};
