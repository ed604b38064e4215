#!/usr/bin/env node
/** The `pseudophi` executable: runs the program and maps errors to exit codes. */

// Burned-in text is drawn only in faces pseudophi registers by file path (src/burn/fonts.ts), never in
// system fonts, so the canvas library is told not to index the installed ones (it reads this when loaded).
process.env.DISABLE_SYSTEM_FONTS_LOAD ??= '1';

// A closed pipe (`pseudophi inspect f | head`) ends output quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// Imported after the setting above: static imports would load the canvas library before it.
const { runCli } = await import('./program.js');
process.exitCode = await runCli(process.argv);
