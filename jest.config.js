/**
 * ESM TypeScript through ts-jest (run with --experimental-vm-modules):
 * `.js` import specifiers map to the `.ts` sources. ts-jest transpiles each
 * file on its own (tsconfig's isolatedModules), so `tsc --noEmit` is what
 * checks types.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: [
    '<rootDir>/__tests__/support/cleanup.ts',
    '<rootDir>/__tests__/support/fuzz-seed.ts'
  ],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }]
  },
  testTimeout: 60000
}
