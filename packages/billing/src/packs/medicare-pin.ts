/**
 * Medicare Principal Illness Navigation – Peer Support (CY2024 PFS): G0140 for the first 60 minutes
 * in a calendar month, G0146 for each further 30, billed incident-to (non-facility) after an
 * initiating visit and with the member's consent.
 *
 * See: reference/billing.md §2 and §2.1 (S15, S16, S17)
 */
import { PAYER_PACK_FORMAT, type PayerPack } from '../pack-schema';
import { CERTIFIED_CREDENTIALS, DEFAULT_MODIFIER_ORDER, DEFAULT_PLACE_OF_SERVICE, NO_OVERLAP } from './common';
import { sourcesOf } from './sources';

/** The `medicare-pin` pack. */
export const MEDICARE_PIN_PACK: PayerPack = {
  format: PAYER_PACK_FORMAT,
  id: 'medicare-pin',
  version: '1.0.0',
  name: 'Medicare PIN peer support (G0140/G0146)',
  description:
    'Principal illness navigation - peer support: G0140 per calendar month (60 minutes), G0146 per further 30 minutes; ' +
    'initiating visit, consent and a non-facility setting first.',
  coveragePayerIds: [],
  sources: sourcesOf('S14', 'S15', 'S16', 'S17', 'S19', 'S20', 'S24', 'S27', 'CMS-POS', 'PK'),
  billing: {
    mode: 'monthly',
    base: {
      code: 'G0140',
      display:
        'Principal illness navigation - peer support by certified or trained auxiliary personnel under the direction of a physician or other practitioner, including a certified peer specialist; 60 minutes per calendar month',
      minutes: { value: 60, source: 'S15', status: 'verified', note: '60 minutes per calendar month' },
      minimumMinutes: {
        value: 60,
        source: 'PK',
        status: 'unverified',
        note: 'Minimum minutes for a partial month are UNVERIFIED (billing.md §2.1); suggested default: 60.',
      },
      source: 'S15',
      status: 'verified',
    },
    addOn: {
      code: 'G0146',
      display:
        'Principal illness navigation - peer support, additional 30 minutes per calendar month (list separately in addition to G0140)',
      minutes: { value: 30, source: 'S15', status: 'verified', note: 'Add-on, each additional 30 minutes per month; effective Jan 01, 2024' },
      minimumMinutes: {
        value: 30,
        source: 'PK',
        status: 'unverified',
        note: 'Suggested default (billing.md §2.1): +30 minutes per G0146 unit.',
      },
      source: 'S15',
      status: 'verified',
    },
    groupSessions: {
      value: false,
      source: 'PK',
      status: 'unverified',
      note: 'PIN-PS is described as individual navigation (person-centered interview, goal setting…); group time is not counted.',
    },
  },
  modifiers: {
    order: DEFAULT_MODIFIER_ORDER,
    program: {},
    telehealth: {
      video: {
        value: '95',
        source: 'PK',
        status: 'unverified',
        note: '95 synchronous audio-video telemedicine (public code lists, billing.md §1.4 P); which modifier Medicare wants on PIN lines is not verified.',
      },
      'audio-only': {
        value: '93',
        source: 'S27',
        status: 'unverified',
        note: 'Which modifier Medicare requires on audio-only claims (93 vs FQ) in a given year is UNVERIFIED (billing.md §4).',
      },
    },
  },
  placeOfService: {
    ...DEFAULT_PLACE_OF_SERVICE,
    facility: {
      value: ['21', '23', '52'],
      source: 'PK',
      status: 'unverified',
      note: 'Hospital inpatient, emergency room and partial hospitalization are taken as facility settings; the CMS facility list was not checked.',
    },
  },
  caps: [],
  mue: [],
  rules: {
    credential: {
      accepted: [...CERTIFIED_CREDENTIALS, 'training-completed'],
      stateCertification: false,
      enforcement: 'hold',
      source: 'S15',
      status: 'verified',
      note: '"Certified or trained auxiliary personnel ... including a certified peer specialist" (descriptor). Training competencies and state certification rules are UNVERIFIED.',
    },
    pinPrerequisites: {
      initiatingVisit: {
        value: true,
        source: 'S16',
        status: 'secondary',
        note: 'Required once, not monthly: an E/M visit (not 99211) or AWV; under a clinical psychologist 90791, 96156, 96158, 96159 or 96164-96168.',
      },
      excludedVisitCodes: { value: ['99211'], source: 'S16', status: 'secondary', note: 'E/M "other than 99211"' },
      consent: { value: true, source: 'S16', status: 'secondary', note: 'Written or verbal; documented in the record.' },
      consentPurposes: {
        value: ['treatment'],
        source: 'PK',
        status: 'unverified',
        note: 'The PIN consent is a service-consent record for the code in effect on the date; until one is recorded, an active, signed disclosure consent whose purposes include treatment is accepted with a warning.',
      },
      nonFacility: { value: true, source: 'S16', status: 'secondary', note: 'Billed incident-to, so non-facility only.' },
      enforcement: 'hold',
    },
    duplicateService: NO_OVERLAP,
    telehealth: {
      modalities: {
        value: ['in-person', 'video', 'audio-only'],
        source: 'PK',
        status: 'unverified',
        note: 'Whether PIN-PS may be furnished by telehealth is not verified.',
      },
      audioOnlyAtHome: {
        value: true,
        source: 'S17',
        status: 'verified',
        note: 'CY2025 PFS: audio-only counts as an interactive telecommunications system for a patient at home (behavioral/mental health: at home).',
      },
      enforcement: 'hold',
    },
  },
  notes: [
    {
      text: 'Population: a serious high-risk behavioral health condition expected to last at least 3 months (e.g. severe mental illness, SUD).',
      source: 'S16',
      status: 'verified',
    },
    {
      text: 'Billed incident-to by the practitioner who did the initiating visit, under whose direction the peer works.',
      source: 'S16',
      status: 'secondary',
    },
    { text: 'Limits on billing PIN alongside CHI (G0019/G0022) are UNVERIFIED.', source: 'PK', status: 'unverified' },
  ],
};
