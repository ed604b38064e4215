#!/usr/bin/env node
/** The `pseudophi` executable: runs the program and maps errors to exit codes. */
import { runCli } from './program.js';

// A closed pipe (`pseudophi inspect f | head`) ends output quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await runCli(process.argv);
