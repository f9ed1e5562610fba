import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FAILURE_CONVERTER_PATH } from './data-converter';
import { bundleWorkflowCode, type Logger, Runtime, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

type BundlerOptions = NonNullable<WorkerOptions['bundlerOptions']>;
type WebpackConfigHook = NonNullable<BundlerOptions['webpackConfigHook']>;
type WebpackConfig = Parameters<WebpackConfigHook>[0];

/**
 * A library may offer workflow code a narrower entry point than its index: when
 * `src/index.workflow.ts` sits beside the `src/index.ts` an alias points at, the workflow bundle
 * resolves the alias to it. That keeps Node-only dependencies of the full index (database
 * clients, @temporalio/client, node:* modules) out of the sandbox while application code imports
 * the same `@projectflo/...` specifier everywhere.
 */
export const WORKFLOW_ENTRY_SUFFIX = '.workflow.ts';

/** Walks up from `from` to the folder that holds tsconfig.base.json (the Nx workspace root). */
export function findWorkspaceRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'tsconfig.base.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no tsconfig.base.json above ${from}`);
    dir = parent;
  }
}

function workflowEntryFor(target: string): string {
  const candidate = target.replace(/\.ts$/, WORKFLOW_ENTRY_SUFFIX);
  return candidate !== target && existsSync(candidate) ? candidate : target;
}

interface TsconfigPaths {
  readonly baseUrl: string;
  readonly paths: Record<string, readonly string[]>;
}

function readTsconfigPaths(workspaceRoot: string): TsconfigPaths {
  const file = join(workspaceRoot, 'tsconfig.base.json');
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const options = (parsed as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } }).compilerOptions ?? {};
  const baseUrl = typeof options.baseUrl === 'string' ? options.baseUrl : '.';
  const paths: Record<string, readonly string[]> = {};
  if (options.paths && typeof options.paths === 'object') {
    for (const [key, value] of Object.entries(options.paths as Record<string, unknown>)) {
      if (Array.isArray(value)) paths[key] = value.filter((v): v is string => typeof v === 'string');
    }
  }
  return { baseUrl: resolve(workspaceRoot, baseUrl), paths };
}

/**
 * Exact-match webpack aliases (`name$` → file) for every tsconfig path. A wildcard path
 * (`@projectflo/platform/*` → `libs/platform/* /src/index.ts`) is expanded over the folders that
 * exist now, since webpack aliases do not substitute wildcards into the middle of a target.
 */
export function workspaceAliases(workspaceRoot: string = findWorkspaceRoot()): Record<string, string> {
  const { baseUrl, paths } = readTsconfigPaths(workspaceRoot);
  const aliases: Record<string, string> = {};
  for (const [pattern, targets] of Object.entries(paths)) {
    const target = targets[0];
    if (target === undefined) continue;
    const star = pattern.indexOf('*');
    if (star < 0) {
      const file = resolve(baseUrl, target);
      if (existsSync(file)) aliases[`${pattern}$`] = workflowEntryFor(file);
      continue;
    }
    const keyPrefix = pattern.slice(0, star);
    const keySuffix = pattern.slice(star + 1);
    const targetStar = target.indexOf('*');
    if (targetStar < 0) continue;
    const dir = resolve(baseUrl, target.slice(0, targetStar));
    const rest = target.slice(targetStar + 1);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const file = join(dir, entry.name + rest);
      if (existsSync(file)) aliases[`${keyPrefix}${entry.name}${keySuffix}$`] = workflowEntryFor(file);
    }
  }
  return aliases;
}

export interface WorkflowBundlerConfig {
  readonly workspaceRoot?: string;
  /** Modules that workflow code references but never calls at run time (see Temporal's ignoreModules). */
  readonly ignoreModules?: readonly string[];
  /** A further hook applied after the aliases. */
  readonly webpackConfigHook?: WebpackConfigHook;
  /** Where bundleWorkflows logs webpack's output (default: the installed Temporal runtime's logger). */
  readonly logger?: Logger;
}

/**
 * The one bundler configuration for workflow code in this repo: Nx path aliases resolved from
 * tsconfig.base.json. Used by workers, prebuilt bundles and replay alike, so they all build the
 * same code.
 */
export function workflowBundlerOptions(config: WorkflowBundlerConfig = {}): BundlerOptions {
  const aliases = workspaceAliases(config.workspaceRoot ?? findWorkspaceRoot());
  const hook: WebpackConfigHook = (webpackConfig: WebpackConfig) => {
    const resolveConfig = webpackConfig.resolve ?? {};
    const existing = resolveConfig.alias;
    if (Array.isArray(existing)) throw new Error('unexpected array form of webpack resolve.alias');
    const withAliases: WebpackConfig = {
      ...webpackConfig,
      resolve: { ...resolveConfig, alias: { ...(existing ?? {}), ...aliases } },
    };
    return config.webpackConfigHook ? config.webpackConfigHook(withAliases) : withAliases;
  };
  return { webpackConfigHook: hook, ignoreModules: [...(config.ignoreModules ?? [])] };
}

/** Bundles once (e.g. in a test's beforeAll or a build step) so workers start without webpack. */
export async function bundleWorkflows(workflowsPath: string, config: WorkflowBundlerConfig = {}): Promise<WorkflowBundleWithSourceMap> {
  const options = workflowBundlerOptions(config);
  return bundleWorkflowCode({
    workflowsPath,
    // The runtime's logger, so the level a process chose for Temporal applies to bundling too.
    logger: config.logger ?? Runtime.instance().logger,
    webpackConfigHook: options.webpackConfigHook,
    ignoreModules: options.ignoreModules,
    // The bundle serializes workflow failures itself: it must hold the workers' failure converter.
    failureConverterPath: FAILURE_CONVERTER_PATH,
  });
}
