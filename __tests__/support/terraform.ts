/**
 * Test helpers around the real terraform binary and the committed plan fixtures.
 * Fixtures: __tests__/fixtures/plans/<scenario>.json|.txt (gzipped when > 5 MB), made by
 * scripts/generate-fixtures.sh from examples/fixtures/<scenario>/.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { runTerraform, type RunResult } from '@tfpipe/terraform/exec.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import type { TerraformPlan } from '@tfpipe/terraform/plan-json.js'

export const repoRoot = resolve(import.meta.dirname, '..', '..')
export const fixturesDir = join(repoRoot, '__tests__', 'fixtures', 'plans')
export const toolsDir = join(repoRoot, '.tools')
export const LOCAL_PROVIDER_VERSION = '1.4.0'
/** The string planted in the `sensitive` and `drift` fixtures (and variants of it). */
export const PLANTED_SECRET = 's3cr3t-do-not-leak-4711'

/**
 * Environment for running terraform in tests: the repo's CLI config (filesystem mirror for hashicorp/local),
 * no prompts, automation wording, a shared plugin cache.
 */
export function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const cache = join(toolsDir, 'plugin-cache')
  mkdirSync(cache, { recursive: true })
  let rc = join(toolsDir, 'terraformrc')
  if (!existsSync(rc)) {
    // no mirror yet: an empty config keeps terraform from warning about a missing file
    rc = join(toolsDir, 'terraformrc.empty')
    writeFileSync(rc, '# no provider mirror: run scripts/setup/provider-local.sh\n')
  }
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(env)) if (key.startsWith('TF_')) delete env[key]
  return {
    ...env,
    TF_CLI_CONFIG_FILE: rc,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    TF_PLUGIN_CACHE_DIR: cache,
    CHECKPOINT_DISABLE: '1',
    ...extra,
  }
}

/** Path of the hashicorp/local binary in the filesystem mirror. */
export function providerMirrorBinary(): string {
  return join(
    toolsDir,
    'providers/registry.terraform.io/hashicorp/local',
    LOCAL_PROVIDER_VERSION,
    'linux_amd64',
    `terraform-provider-local_v${LOCAL_PROVIDER_VERSION}`,
  )
}

/** Throws a clear error when the hashicorp/local mirror is missing. */
export function ensureProviderMirror(): void {
  if (!existsSync(providerMirrorBinary()) || !existsSync(join(toolsDir, 'terraformrc'))) {
    throw new Error(
      `hashicorp/local ${LOCAL_PROVIDER_VERSION} is not in ${toolsDir}/providers: run scripts/setup/provider-local.sh first (needs go)`,
    )
  }
}

/**
 * Copies examples/<name> (e.g. "demo" or "fixtures/drift/base") into a new temp dir, leaving out
 * .terraform, state and plan files. Returns the temp dir.
 */
export function copyExample(name: string): string {
  const src = join(repoRoot, 'examples', name)
  if (!existsSync(src)) throw new Error(`no example ${src}`)
  const dir = mkdtempSync(join(tmpdir(), `tfpipe-${name.replace(/[^a-z0-9]+/gi, '-')}-`))
  cpSync(src, dir, {
    recursive: true,
    filter: (p) => !/(^|\/)(\.terraform|terraform\.tfstate[^/]*|[^/]*\.tfplan|\.terraform\.lock\.hcl)$/.test(p),
  })
  return dir
}

export interface TerraformCallOptions {
  /** Exit codes that do not throw (default [0]). */
  allow?: number[]
  env?: Record<string, string>
  /** terraform (default) or tofu (scripts/setup/tofu.sh builds it into .tools/bin, on the tests' PATH). */
  binary?: 'terraform' | 'tofu'
}

/** Runs the real terraform in `cwd`; throws with stderr when the exit code is not allowed. */
export async function terraform(args: string[], cwd: string, options: TerraformCallOptions = {}): Promise<RunResult> {
  const binary = options.binary ?? 'terraform'
  const result = await runTerraform(binary, args, {
    cwd,
    env: terraformEnv(options.env),
    logger: silentLogger,
    streamStderr: false,
  })
  const allow = options.allow ?? [0]
  if (!allow.includes(result.exitCode)) {
    throw new Error(
      `${binary} ${args.join(' ')} exited ${result.exitCode} in ${cwd}:\n${result.stderr}\n${result.stdout}`,
    )
  }
  return result
}

/** Scenario names that have a fixture, sorted. */
export function fixtureNames(): string[] {
  const names = new Set<string>()
  for (const f of readdirSync(fixturesDir)) {
    const m = /^(.*)\.json(\.gz)?$/.exec(f)
    if (m?.[1]) names.add(m[1])
  }
  return [...names].sort()
}

function readMaybeGz(base: string): string {
  if (existsSync(base)) return readFileSync(base, 'utf8')
  if (existsSync(`${base}.gz`)) return gunzipSync(readFileSync(`${base}.gz`)).toString('utf8')
  throw new Error(`fixture ${base}(.gz) is missing: run npm run fixtures`)
}

/** Raw JSON text of a fixture (gunzipped when stored as .json.gz). */
export function planFixtureText(name: string): string {
  return readMaybeGz(join(fixturesDir, `${name}.json`))
}

/** `terraform show -no-color` text of a fixture. */
export function planFixtureHumanText(name: string): string {
  return readMaybeGz(join(fixturesDir, `${name}.txt`))
}

/** Parsed plan of a fixture (a fresh object each call). */
export function loadPlanFixture(name: string): TerraformPlan {
  return parsePlanJson(planFixtureText(name), `${name}.json`)
}
