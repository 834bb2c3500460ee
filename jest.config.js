// ESM TypeScript under jest: ts-jest transpiles (type checking is `npm run typecheck`), and
// imports written with a `.js` suffix (as ESM requires) are mapped back to the `.ts` source.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testEnvironment: 'node',
}

export default {
  projects: [
    // No child processes, no servers: package code against fixtures, in well under a minute.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    // Package code against real parts: terraform, tofu, moto, git, and the local servers of __tests__/support.
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'] },
    // The committed dist/ bundles, run as the runner runs them.
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'] },
    // The workflow files themselves, run under nektos/act (host mode) against the local stand-ins.
    { ...common, displayName: 'workflows', testMatch: ['<rootDir>/__tests__/workflows/**/*.test.ts'] },
  ],
}
