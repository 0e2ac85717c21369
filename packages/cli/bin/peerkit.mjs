#!/usr/bin/env node
import { main } from '../dist/index.js';

// `peerkit generate | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error) => {
  if (error && error.code !== 'EPIPE') process.stderr.write('peerkit: cannot write to standard output\n');
  process.exit(error && error.code === 'EPIPE' ? (process.exitCode ?? 0) : 2);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // Last resort: never print a stack trace (or any data) to a clinic's terminal.
    process.stderr.write(`peerkit: internal error (${error && error.name ? error.name : 'Error'}); please report it\n`);
    process.exitCode = 70;
  },
);
