/**
 * The codes of {@link SyncError}, one per thing that stops a sync before or outside its records;
 * {@link runSync} returns the same codes as issues. Problems with individual records are not
 * errors: they are counted, reported in events and written to the dead-letter file.
 */
export const SYNC_ERROR_CODES = {
  /** An option is out of range or of the wrong kind. */
  invalidOption: 'sync.invalid-option',
  /** Plain `http://` to a host that is not loopback, without `allowInsecureHttp`. */
  insecureUrl: 'sync.insecure-url',
  /** `DEBUG` would make fhir-kit-client log request headers (tokens) and bodies. */
  unsafeDebugLogging: 'sync.unsafe-debug-logging',
  /** The token endpoint refused the client or answered something that is not a token. */
  authFailed: 'sync.auth-failed',
  /** The outbox journal cannot be read back (not a torn last line: real damage). */
  outboxCorrupt: 'sync.outbox-corrupt',
  /** Another process holds the outbox's lock. */
  outboxLocked: 'sync.outbox-locked',
  /**
   * The PostgreSQL outbox cannot be reached or refused the login (the message names host, port and
   * database and the reason — ECONNREFUSED, authentication failed, no such database — never the
   * user or password).
   */
  outboxUnreachable: 'sync.outbox-unreachable',
  /** The server kept failing a request that cannot be skipped (a pull's search page). */
  serverUnavailable: 'sync.server-unavailable',
  /** A disclosure ledger file has a damaged line before its last one (a torn last line is dropped). */
  ledgerCorrupt: 'sync.ledger-corrupt',
  /** The outbox holds records of an earlier run that did not finish; resume it or use another state directory. */
  unfinishedRun: 'sync.unfinished-run',
  /**
   * The state directory holds an import-mode (`$import`) run whose `import-state.json` is not done:
   * a REST run now could store second copies of what that import still lands. Finish it with
   * `writeMode: 'import'` and the same export first.
   */
  unfinishedImport: 'sync.unfinished-import',
  /** The records give no identifier system: no organization record and no `identifierSystem` option. */
  noIdentifierSystem: 'sync.no-identifier-system',
  /** The clinic export file cannot be read (missing, or not readable). */
  inputUnreadable: 'sync.input-unreadable',
  /** The state directory cannot be created or used (a file-system error). */
  stateUnusable: 'sync.state-unusable',
  /** A resumed run asked for another disclosure mode (internal, or consent) than it was started with. */
  disclosureMismatch: 'sync.disclosure-mismatch',
  /** A resumed run asked for another disclosure recipient than it was started with. */
  recipientMismatch: 'sync.recipient-mismatch',
  /** A Bulk Data export could not be completed: refused, failed on the server, timed out, or a file could not be read. */
  bulkExportFailed: 'sync.bulk-export-failed',
  /** A Bulk Data import could not be completed: not offered by the server, refused, failed on the server, or timed out. */
  bulkImportFailed: 'sync.bulk-import-failed',
} as const;

/** One of {@link SYNC_ERROR_CODES}. */
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[keyof typeof SYNC_ERROR_CODES];

/**
 * The one error class @peerkit/sync throws on purpose. Messages name options, files and rules,
 * never tokens, record values or resource content.
 *
 * @example
 * try { createFhirTransport({ baseUrl: 'http://example.org/fhir' }); }
 * catch (e) { if (e instanceof SyncError && e.code === SYNC_ERROR_CODES.insecureUrl) … }
 */
export class SyncError extends Error {
  override readonly name = 'SyncError';

  /**
   * @param code - what went wrong, from {@link SYNC_ERROR_CODES}
   * @param message - one line naming the option, file or rule
   */
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
  }
}
