import { defineConfig } from "vitest/config";

// Four suites: unit tests beside the code (in-memory ports only), the infra checks
// (manifest and Terraform, offline), the emulators' conformance suites (each starts
// its own emulator and runs the real client), and integration tests against the
// whole local stack started once in globalSetup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          // Unit tests beside the code, and test/docs: what README and docs/ name exists, offline.
          name: "unit",
          include: ["functions/**/*.test.ts", "client/**/*.test.ts", "test/docs/**/*.test.ts"],
        },
      },
      {
        // The Terraform manifest and modules against the registry (offline: no provider, no cloud), and the
        // deployed bundle (npm run infra:package) run by a local stack of its own (test/infra/bundle.test.ts).
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "emulators",
          include: ["test/emulators/**/*.test.ts", "test/adapters/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // A slice of `npm run faults`: its own stack, in a child process, under every fault.
        test: {
          name: "faults",
          include: ["test/faults/**/*.test.ts"],
          testTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // The trust boundary through HTTP: tenants, scopes, the outbound guard, signatures, limits,
        // stalled dependencies. A stack of its own, since these tests stall and restart parts of it.
        test: {
          name: "security",
          include: ["test/security/**/*.test.ts"],
          globalSetup: ["test/security/global-setup.ts"],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
