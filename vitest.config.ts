import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs only npm packages; `interop` needs the Debian tools .ci/run installs
// (dcmtk, dicom3tools, python3-pydicom) and the real test files python3-pydicom ships.
export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/interop/**'],
          setupFiles: ['test/helpers/faker-locales.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'interop',
          include: ['test/interop/**/*.test.ts'],
          setupFiles: ['test/helpers/faker-locales.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
