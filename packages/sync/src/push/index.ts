/**
 * The push engine: takes the outbox's pending entries, sends them — as transaction or batch Bundles,
 * or one conditional request each — with bounded concurrency, and settles each entry by what the server answered — confirmed, dead-lettered
 * (a permanent 4xx, with the server's OperationOutcome) or retried later (network errors, timeouts,
 * 5xx, 429). After an uncertain failure it searches the server before sending again, so a write the
 * server already applied is not applied twice.
 *
 * Its parts: `plan` (the write mode and sizes), `queue` (the window of pending keys and what the run
 * knows of each), `ordering` (what goes next), `bundle` (the Bundle for a batch), `request` (how a
 * batch goes: Bundle or single request), `send` (one batch, retries and pauses), `settle`
 * (a transaction's answer), `reconcile` (searching before a resend), `outcomes` (confirmations and
 * dead letters), `run` (the workers).
 */
export { push, pushOnly, startFedPush } from './run';
export type { FedPush } from './run';
export type { PushOptions, PushSummary, RateSummary } from './options';
