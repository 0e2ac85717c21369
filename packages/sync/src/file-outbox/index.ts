/**
 * The outbox on disk. Its parts: `files` (the state directory's file names and lock), `journal`
 * (the journal's format, group commit and reading back), `dead-letters` (the dead-letter file) and
 * `open-file-outbox` (the outbox itself: index, compaction, the {@link Outbox} methods).
 */
export { openFileOutbox } from './open-file-outbox';
export type { FileOutboxOptions } from './open-file-outbox';
export { OUTBOX_FILES } from './files';
