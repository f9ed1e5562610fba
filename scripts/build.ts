/**
 * Compiles the services to JavaScript in dist/ and prebuilds each worker's workflow bundle, so the
 * platform runs `node -r reflect-metadata dist/apps/<svc>/src/main.js` with neither a runtime
 * compiler hook nor webpack in the process.
 *
 *   node -r @swc-node/register scripts/build.ts [--if-changed] [--no-bundles] [--quiet]
 *
 * - Every non-test .ts file under apps/ and libs/ is compiled with the very options
 *   @swc-node/register derives from tsconfig.base.json (decorator metadata, class fields, target),
 *   and the `@projectflo/*` path aliases are rewritten to relative requires at build time, so the
 *   output needs no alias resolver. dist/ mirrors the source tree (dist/apps/crm/src/main.js), so
 *   relative requires, `require.resolve('./x.workflows')` and the migrations folders keep working;
 *   the few paths source code computes above its own tree (proto/, deploy/, .infra/) are symlinks
 *   in dist/ to the real folders. Non-code files of the source trees (the descriptor set) are copied.
 * - Every workflows module a service's worker loads (a `require.resolve('./….workflows')` in
 *   non-test source) is bundled with bundleWorkflows (the workers' own aliases and failure
 *   converter) from its .ts source, and written beside its compiled module as
 *   `<name>.workflows.bundle.js`; createWorker loads it (`workflowBundle: { codePath }`) whenever
 *   it is given a compiled workflows module.
 * - --if-changed: does nothing when dist/.build-stamp is newer than every source file, tsconfig,
 *   the lock file and this script.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transform } from '@swc-node/core';
import { readDefaultTsConfig, tsCompilerOptionsToSwcConfig } from '@swc-node/register/read-default-tsconfig';

const ROOT = join(__dirname, '..');
export const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp');
const SOURCE_TREES = ['apps', 'libs'];
/** Folders source code reaches above its own tree with `join(__dirname, '..', …)`. */
const LINKED = ['proto', 'deploy', '.infra'];
/** Suffix of a prebuilt workflow bundle beside its compiled workflows module (createWorker's PREBUILT_WORKFLOW_BUNDLE_SUFFIX). */
export const WORKFLOW_BUNDLE_SUFFIX = '.bundle.js';

const isTest = (file: string): boolean => /\.(spec|int\.spec|e2e\.spec|bench)\.ts$/.test(file) || file.endsWith('.d.ts');
const skippedDir = (name: string): boolean => name === 'node_modules' || name === '__fixtures__';

function walk(dir: string, out: string[] = [], dirs: string[] = []): string[] {
  dirs.push(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDir(entry.name)) walk(path, out, dirs);
    } else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Source files (relative to the root) that belong in dist/: code and the non-code files of src/
 * trees; and every folder walked (a deleted or renamed file changes its folder's mtime).
 */
function sources(): { code: string[]; assets: string[]; dirs: string[] } {
  const code: string[] = [];
  const assets: string[] = [];
  const dirs: string[] = [];
  for (const tree of SOURCE_TREES) {
    for (const file of walk(join(ROOT, tree), [], dirs)) {
      const rel = relative(ROOT, file);
      if (!rel.split('/').includes('src')) continue;
      if (rel.endsWith('.ts')) {
        if (!isTest(rel)) code.push(rel);
      } else if (!rel.endsWith('.map')) assets.push(rel);
    }
  }
  return { code, assets, dirs: dirs.map((dir) => relative(ROOT, dir)) };
}

function newestInput(files: readonly string[]): number {
  const inputs = [...files, 'tsconfig.base.json', 'package-lock.json', 'scripts/build.ts'];
  return Math.max(...inputs.map((f) => statSync(join(ROOT, f)).mtimeMs));
}

/** The workflows modules the services' workers load: `require.resolve('./x.workflows')` in non-test code. */
export function workflowEntries(code: readonly string[]): string[] {
  const entries: string[] = [];
  for (const file of code) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/require\.resolve\(\s*'(\.{1,2}\/[^']*\.workflows)'\s*\)/g)) {
      entries.push(join(dirname(file), `${match[1]}.ts`));
    }
  }
  return [...new Set(entries)].sort();
}

export const bundlePathFor = (workflowsModule: string): string => workflowsModule.replace(/\.(ts|js)$/, WORKFLOW_BUNDLE_SUFFIX);

async function compile(code: readonly string[]): Promise<void> {
  const tsconfig = readDefaultTsConfig(join(ROOT, 'tsconfig.base.json'));
  const options = { ...tsCompilerOptionsToSwcConfig(tsconfig, join(ROOT, 'tsconfig.base.json')), sourcemap: true as const };
  // Small batches: swc transforms on its own threads; 525 files at once would only queue.
  const BATCH = 32;
  for (let i = 0; i < code.length; i += BATCH) {
    await Promise.all(
      code.slice(i, i + BATCH).map(async (rel) => {
        const source = join(ROOT, rel);
        const target = join(DIST, rel.replace(/\.ts$/, '.js'));
        const output = await transform(readFileSync(source, 'utf8'), source, options);
        mkdirSync(dirname(target), { recursive: true });
        const map = output.map ? `\n//# sourceMappingURL=${rel.split('/').pop()!.replace(/\.ts$/, '.js.map')}\n` : '\n';
        writeFileSync(target, output.code.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '') + map);
        if (output.map) writeFileSync(`${target}.map`, output.map);
      }),
    );
  }
}

function link(): void {
  for (const name of LINKED) {
    const at = join(DIST, name);
    try {
      if (lstatSync(at)) continue;
    } catch {
      // absent: create it
    }
    symlinkSync(join('..', name), at);
  }
}

/** Compiled files of deleted sources must not linger (a stale migration would run). */
function removeStale(expected: ReadonlySet<string>): void {
  for (const tree of SOURCE_TREES) {
    if (!existsSync(join(DIST, tree))) continue;
    for (const file of walk(join(DIST, tree))) {
      const rel = relative(DIST, file);
      if (!expected.has(rel.replace(/\.map$/, ''))) rmSync(file);
    }
  }
}

async function bundle(entries: readonly string[], quiet: boolean): Promise<void> {
  // Loaded only when bundling: webpack is heavy and a --if-changed no-op should stay instant.
  const { bundleWorkflows } = await import('../libs/platform/workflow/src/workflow-bundler');
  const { DefaultLogger } = await import('@temporalio/worker');
  // webpack's module listing at INFO is noise in a build log; warnings and errors still show.
  const logger = new DefaultLogger('WARN');
  for (const entry of entries) {
    const started = Date.now();
    const { code } = await bundleWorkflows(join(ROOT, entry), { logger });
    const target = join(DIST, bundlePathFor(entry));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
    if (!quiet) console.log(`  bundled ${entry} → ${relative(ROOT, target)} (${Math.round(code.length / 1024)} KiB, ${Date.now() - started} ms)`);
  }
}

export async function build(flags: { ifChanged?: boolean; bundles?: boolean; quiet?: boolean } = {}): Promise<'built' | 'up to date'> {
  const { code, assets, dirs } = sources();
  if (flags.ifChanged && existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestInput([...code, ...assets, ...dirs])) return 'up to date';
  const started = Date.now();
  rmSync(STAMP, { force: true });
  mkdirSync(DIST, { recursive: true });
  // Files are overwritten in place, not after emptying dist/, so that services already running from
  // dist/ (another checkout's e2e run) keep finding the modules they load late.
  await compile(code);
  for (const rel of assets) {
    mkdirSync(dirname(join(DIST, rel)), { recursive: true });
    copyFileSync(join(ROOT, rel), join(DIST, rel));
  }
  link();
  const entries = workflowEntries(code);
  removeStale(new Set([...code.map((f) => f.replace(/\.ts$/, '.js')), ...assets, ...entries.map(bundlePathFor)]));
  if (!flags.quiet) console.log(`  compiled ${code.length} files to dist/ in ${Date.now() - started} ms`);
  if (flags.bundles !== false) await bundle(entries, Boolean(flags.quiet));
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  if (!flags.quiet) console.log(`  build done in ${Date.now() - started} ms`);
  return 'built';
}

if (require.main === module) {
  const args = new Set(process.argv.slice(2));
  build({ ifChanged: args.has('--if-changed'), bundles: !args.has('--no-bundles'), quiet: args.has('--quiet') })
    .then((result) => {
      if (result === 'up to date' && !args.has('--quiet')) console.log('  dist/ is up to date');
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
