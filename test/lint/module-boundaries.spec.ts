import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// CI lints a clean clone, where Nx has cached no project graph yet; @nx/enforce-module-boundaries
// reads only that cache and, without one, skips itself with a warning. So these lint each import
// the way CI does (the eslint CLI with the workspace's own eslint.config.mjs), against an empty Nx
// workspace-data directory: the rule must still run and refuse what crosses a boundary.

const ROOT = join(__dirname, '..', '..');
const RULE = '@nx/enforce-module-boundaries';
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Lints `source` as if it were the file at `filePath` (relative to the workspace) on a clean clone. */
function lintOnCleanClone(filePath: string, source: string): LintMessage[] {
  const workspaceData = mkdtempSync(join(tmpdir(), 'nx-workspace-data-'));
  try {
    const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', '--stdin', '--stdin-filename', filePath], {
      cwd: ROOT,
      input: source,
      encoding: 'utf8',
      env: { ...process.env, NX_WORKSPACE_DATA_DIRECTORY: workspaceData, NX_DAEMON: 'false' },
    });
    expect(run.stdout).not.toContain('No cached ProjectGraph');
    expect(run.stderr).toBe('');
    const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
    return result.messages;
  } finally {
    rmSync(workspaceData, { recursive: true, force: true });
  }
}

const boundaryErrors = (messages: LintMessage[]): string[] =>
  messages.filter((m) => m.ruleId === RULE).map((m) => m.message);

describe('module boundaries, linted on a clean clone', () => {
  it("refuses an app importing another context's domain", () => {
    const messages = lintOnCleanClone(
      'apps/crm/src/boundary-check.ts',
      "import { LIMITS } from '@projectflo/task-engine/domain';\nexport const limits = LIMITS;\n",
    );
    expect(boundaryErrors(messages)).toEqual([expect.stringContaining('tagged with "scope:crm" can only depend on')]);
  }, 60_000);

  it('refuses a platform lib importing business code', () => {
    // A platform lib the crm domain does not itself depend on (else the rule reports the cycle first).
    const messages = lintOnCleanClone(
      'libs/platform/config/src/boundary-check.ts',
      "import * as crm from '@projectflo/crm/domain';\nexport const domain = crm;\n",
    );
    expect(boundaryErrors(messages)).toEqual([expect.stringContaining('tagged with "type:platform" can only depend on')]);
  }, 60_000);

  it('lets an app import the platform and its own domain', () => {
    const messages = lintOnCleanClone(
      'apps/crm/src/boundary-check.ts',
      "import * as core from '@projectflo/platform/core';\nimport * as crm from '@projectflo/crm/domain';\nexport const used = [core, crm];\n",
    );
    expect(messages).toEqual([]);
  }, 60_000);
});
