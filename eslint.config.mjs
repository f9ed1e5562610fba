import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// @nx/enforce-module-boundaries only reads the project graph Nx caches in .nx/, and where there is
// none (a clean clone, so CI) it skips itself with a mere warning. Compute (or refresh) the graph
// before any file is linted, so that every `eslint` run enforces the boundaries
// (test/lint/module-boundaries.spec.ts proves it on an empty cache).
await createProjectGraphAsync();

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.infra/**', '.nx/**', 'tmp/**', 'libs/contracts/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Platform code never depends on business code; a bounded context never imports another's
      // domain: contexts talk over Kafka and gRPC contracts only.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'scope:crm', onlyDependOnLibsWithTags: ['scope:crm', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:task-engine', onlyDependOnLibsWithTags: ['scope:task-engine', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:build-ledger', onlyDependOnLibsWithTags: ['scope:build-ledger', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:scheduling', onlyDependOnLibsWithTags: ['scope:scheduling', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:notifications', 'scope:platform', 'scope:contracts'] },
          ],
        },
      ],
    },
  },
];
