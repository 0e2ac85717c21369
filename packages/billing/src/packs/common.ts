/**
 * Building blocks the shipped packs share. Each is data with its source and status, copied into
 * every pack that uses it (a pack is self-contained once written out as JSON).
 */
import type { Figure, PayerPack } from '../pack-schema';

type Pos = PayerPack['placeOfService'];
type Rules = PayerPack['rules'];
type Timed = Extract<PayerPack['billing'], { mode: 'timed' }>;

/** H0038's descriptor. billing.md §1.1 [S1]. */
export const H0038_DISPLAY = 'Self-help/peer services, per 15 minutes';

/** One unit = 15 minutes for H0038. billing.md §1.1 [S1, S4]. */
export const H0038_UNIT_MINUTES: Figure<number> = {
  value: 15,
  source: 'S1',
  status: 'verified',
  note: 'HCPCS H0038 "per 15 minutes"; "one (1) unit for every fifteen (15) minutes with the member"',
};

/** Every credential type except `training-completed` (not yet certified). */
export const CERTIFIED_CREDENTIALS: NonNullable<Rules['credential']>['accepted'] = [
  'cps',
  'cprs',
  'nc-prss',
  'crps',
  'cfps',
  'cyps',
  'veteran-peer',
  'state-certified',
];

/** Modifier slot order: group, program, service, telehealth (billing.md §5 example: HQ before HF). */
export const DEFAULT_MODIFIER_ORDER: PayerPack['modifiers']['order'] = {
  value: ['group', 'program', 'service', 'telehealth'],
  source: 'PK',
  status: 'unverified',
  note: 'The billing.md §5 example lists HQ (group) before HF (program); payers may want another order.',
};

/**
 * Place of service by setting. Where the setting is the code's own name in the CMS code set (home,
 * shelter, street, school, mobile unit, emergency room, inpatient hospital, correctional facility)
 * the mapping is as verified as the code; community and recovery-center sites are PeerKit's reading.
 */
export const DEFAULT_PLACE_OF_SERVICE: Pos = {
  bySetting: {
    community: {
      value: '99',
      source: 'PK',
      status: 'unverified',
      note: '99 "Other Place of Service" [S24] for a café, library or park; some payers expect 27 (outreach site).',
    },
    home: { value: '12', source: 'S20', status: 'verified', note: '12 Home' },
    clinic: {
      value: '11',
      source: 'S19',
      status: 'verified',
      note: "11 Office. A community mental health center bills 53, an FQHC 50, a non-residential SUD facility 57: set the billing context's placeOfService.",
    },
    'emergency-department': { value: '23', source: 'CMS-POS', status: 'verified', note: '23 Emergency Room - Hospital' },
    hospital: { value: '21', source: 'CMS-POS', status: 'verified', note: '21 Inpatient Hospital (an inpatient psychiatric facility bills 51).' },
    shelter: { value: '04', source: 'S20', status: 'verified', note: '04 Homeless Shelter' },
    'street-outreach': { value: '27', source: 'S20', status: 'verified', note: '27 Outreach Site/ Street' },
    'recovery-center': { value: '99', source: 'PK', status: 'unverified', note: '99 "Other Place of Service" [S24].' },
    correctional: { value: '09', source: 'CMS-POS', status: 'verified', note: '09 Prison/ Correctional Facility' },
    school: { value: '03', source: 'CMS-POS', status: 'verified', note: '03 School' },
    'mobile-unit': { value: '15', source: 'CMS-POS', status: 'verified', note: '15 Mobile Unit' },
  },
  telehealthHome: { value: '10', source: 'S20', status: 'verified', note: "10 Telehealth Provided in Patient's Home" },
  telehealthOther: { value: '02', source: 'S20', status: 'verified', note: "02 Telehealth Provided Other than in Patient's Home" },
};

/** Federal Medicaid baseline: training/credentialing of peer support providers. billing.md §3 [S11]. */
export const FEDERAL_CREDENTIAL: NonNullable<Rules['credential']> = {
  accepted: CERTIFIED_CREDENTIALS,
  stateCertification: false,
  enforcement: 'hold',
  source: 'S11',
  status: 'verified',
  note: 'CMS SMDL #07-011 sets minimum training and credentialing requirements; PeerKit asks for a current certification.',
};

/** Federal Medicaid baseline: supervision of peer support providers. billing.md §3 [S11]. */
export const FEDERAL_SUPERVISION: NonNullable<Rules['supervision']> = {
  exemptRoleLevels: ['supervisor'],
  enforcement: 'hold',
  source: 'S11',
  status: 'verified',
  note: 'CMS SMDL #07-011 sets minimum supervision requirements; PeerKit asks for a supervisor of record.',
};

/** The same minutes cannot be billed twice: a member's peer services must not overlap. */
export const NO_OVERLAP: NonNullable<Rules['duplicateService']> = {
  overlappingPeerServices: true,
  otherBehavioralHealth: false,
  peerInclusivePrograms: false,
  enforcement: 'hold',
  source: 'PK',
  status: 'unverified',
  note: 'Two peer services of one member at the same time cannot both be billed; the later one is held.',
};

/** Every modality allowed: no source says otherwise for this payer. */
export const ANY_MODALITY: Rules['telehealth'] = {
  modalities: {
    value: ['in-person', 'video', 'audio-only'],
    source: 'PK',
    status: 'unverified',
    note: 'Telehealth and audio-only rules are payer-specific (billing.md §4); restrict them here.',
  },
  enforcement: 'hold',
};

/** Telehealth modifiers for a Medicaid payer whose rules are not known: GT video, 93 audio-only. */
export const DEFAULT_TELEHEALTH_MODIFIERS: PayerPack['modifiers']['telehealth'] = {
  video: {
    value: 'GT',
    source: 'S14',
    status: 'unverified',
    note: 'GT "Via interactive audio and video telecommunication systems" [S14]; many payers want 95 instead.',
  },
  'audio-only': {
    value: '93',
    source: 'S27',
    status: 'unverified',
    note: '93 audio-only (AMA text, P); some payers want FQ (billing.md §1.4).',
  },
};

/**
 * H0038 for individual and group sessions where the state's code is UNVERIFIED: the national peer
 * code as a starting point, each service carrying `note`.
 */
export function unverifiedH0038Services(note: string): Timed['services'] {
  return (['individual', 'group'] as const).map((session) => ({
    id: session,
    code: 'H0038',
    display: H0038_DISPLAY,
    session,
    modifiers: [],
    source: 'PK',
    status: 'unverified' as const,
    note,
  }));
}

/** A timed pack's unit strategy and same-day summing where the state's source states neither. */
export function unverifiedTimedUnits(sourceId: string): Pick<Timed, 'strategy' | 'sumSameDay'> {
  return {
    strategy: { value: 'MIDPOINT', source: 'PK', status: 'unverified', note: `No unit rounding rule in ${sourceId}.` },
    sumSameDay: { value: false, source: 'PK', status: 'unverified', note: `Not stated in ${sourceId}.` },
  };
}

/** Modifiers where the state's source names none: HQ for groups (its meaning only, [S14]), GT/93 for telehealth. */
export function unverifiedModifiers(sourceId: string): PayerPack['modifiers'] {
  return {
    order: DEFAULT_MODIFIER_ORDER,
    group: { value: 'HQ', source: 'S14', status: 'unverified', note: `HQ "Group setting" [S14]; not stated in ${sourceId}.` },
    program: {},
    telehealth: DEFAULT_TELEHEALTH_MODIFIERS,
  };
}
