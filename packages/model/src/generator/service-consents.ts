/**
 * Service consents: each peer covered by a payer that requires consent to the service (Medicare PIN:
 * G0140/G0146) consents to it on the day they enroll, verbally, documented by their specialist. No
 * random draw: the rest of the generated clinic does not change with them.
 *
 * See: reference/billing.md §2.1 (PIN consent: written or verbal, documented in the record [S16])
 */
import type { ClinicRecord } from '../record';
import type { ServiceConsent } from '../service-consent';
import { DAY } from './clock';
import type { Ctx } from './context';
import { pad } from './names-and-places';

/** Payers whose peers get a service consent, and the services it covers. */
const CONSENTED_SERVICES: Readonly<Record<string, readonly string[]>> = { 'medicare-pin': ['G0140', 'G0146'] };

/** Appends a service consent for each peer covered by a payer that requires one. */
export function buildServiceConsents(ctx: Ctx, records: ClinicRecord[]): void {
  const { clock } = ctx;
  let seq = 0;
  for (const peer of ctx.peers) {
    const services = peer.record.coverage.flatMap((c) => CONSENTED_SERVICES[c.payerId] ?? []);
    if (services.length === 0) continue;
    seq += 1;
    const consent: ServiceConsent = {
      kind: 'service-consent',
      id: `svc-consent-${pad(seq, 6)}`,
      peerId: peer.id,
      programId: peer.program.id,
      services: [...new Set(services)],
      status: 'active',
      period: { start: clock.date(peer.enrollStart) },
      signature: { signer: 'peer', signedAt: clock.dateTime(peer.enrollStart * DAY + 9 * 60), method: 'verbal' },
      documentedBy: peer.spec.id,
      costSharingExplained: true,
    };
    records.push(consent);
  }
}
