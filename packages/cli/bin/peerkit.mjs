#!/usr/bin/env node
import { main } from '../dist/index.js';

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
