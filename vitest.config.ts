import { defineConfig } from "vitest/config";

// Dates in test data and on pages must not depend on the machine's zone. Set here, before any
// worker starts, workers inherit it; `env` below sets it again inside each test file.
process.env.TZ = "UTC";

/** Tests that build the site: they share src/.observablehq/cache, so they take turns. */
const BUILD_TESTS = ["tests/e2e/**/*.test.ts", "tests/build/**/*.test.ts"];

export default defineConfig({
  test: {
    env: { TZ: "UTC" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: BUILD_TESTS,
        },
      },
      {
        extends: true,
        test: {
          name: "build",
          include: BUILD_TESTS,
          // Builds the sample and real sites once for every test of this project.
          globalSetup: ["tests/e2e/sites.ts"],
          // One file at a time, and only after the unit tests, which then have the CPUs to
          // themselves; a build with a browser after it takes a minute or two.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
