// One jest configuration, three tiers that are visible in file names:
//   *.spec.ts      unit: pure logic, no I/O, runs anywhere
//   *.int.spec.ts  integration: real Postgres / Kafka / Temporal started by scripts/infra.sh
//   *.e2e.spec.ts  end to end: the five running services plus the infrastructure
// Every tier ends in .spec.ts, so editors and test explorers recognise each file as a test.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // dinero.js v2 ships ES modules only; jest's CommonJS runtime needs them compiled like our own code.
  transform: { '^.+\\.ts$': swc, '/node_modules/dinero\\.js/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!dinero\\.js/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@projectflo/platform/(.*)$': '<rootDir>/libs/platform/$1/src/index.ts',
    '^@projectflo/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@projectflo/crm/(.*)$': '<rootDir>/libs/crm/$1/src/index.ts',
    '^@projectflo/task-engine/(.*)$': '<rootDir>/libs/task-engine/$1/src/index.ts',
    '^@projectflo/scheduling/(.*)$': '<rootDir>/libs/scheduling/$1/src/index.ts',
    '^@projectflo/build-ledger/(.*)$': '<rootDir>/libs/build-ledger/$1/src/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.infra/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,test,bench}/**/*.spec.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/integration.setup.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/e2e.setup.ts'],
    },
  ],
};
