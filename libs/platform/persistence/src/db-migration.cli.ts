// Usage (from the workspace root):
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register \
//     libs/platform/persistence/src/db-migration.cli.ts create <migrations folder> <snake_case_name>
// Migrations are applied when a service starts (EventSourcedServiceModule calls migrateUp).
import { systemClock } from '@projectflo/platform/core';
import { createMigrationFile } from './migrations';

function main(argv: readonly string[]): number {
  const [command, folder, name] = argv;
  if (command !== 'create' || !folder || !name) {
    process.stderr.write('usage: db-migration.cli.ts create <migrations folder> <snake_case_name>\n');
    return 2;
  }
  process.stdout.write(`${createMigrationFile(folder, name, systemClock)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
