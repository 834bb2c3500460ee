import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from '../args.js'
import { CliError } from '../errors.js'
import { consoleLogger } from '../../../kit/src/logger.js'
import { SUMMARY_LIMIT_BYTES } from '../../../kit/src/summary.js'
import { parsePlanJson } from '../../../terraform/src/parse.js'
import { buildPlanModel } from '../../../terraform/src/build-model.js'
import { showPlanJson, showPlanText, type TerraformBinary } from '../../../terraform/src/exec.js'
import { planSecrets, scrubText } from '../../../terraform/src/redact.js'
import { normalizeDir } from '../../../github/src/reviewed-plan.js'
import { preparePlan, renderComment, renderSummary } from '../../../plan-report/src/render.js'
import { costInsight, gatePreview, renderInsights, securityInsight, type InfracostJson, type Insights } from '../../../plan-report/src/insights.js'
import { loadInfracost, loadSarif } from '../../../policy/src/plan-source.js'
import { environmentPolicy, loadPolicyFile } from '../../../policy/src/load.js'

export const summary = 'print the plan-and-comment PR comment (or --summary: the job summary) for a plan'

const USAGE = `usage: tfpipe plan-comment --plan-json plan.json [--plan-text plan.txt] [--env dev] [--dir .] [--summary]
       tfpipe plan-comment --plan-file tfplan [--binary terraform|tofu] [--dir .] [--env dev] [--summary]
       ... [--infracost-json diff.json] [--sarif a.sarif,b.sarif] [--policy .github/terraform-policy.yml --env prod]

Prints exactly the markdown plan-and-comment would post (or, with --summary, write to the job summary).
--dir is the working directory: where --plan-file is shown, and the directory named in the comment.`

function readText(path: string, flag: string): string {
  if (!existsSync(path)) throw new CliError(`--${flag}: file ${path} not found.`)
  return readFileSync(path, 'utf8')
}

export async function run(args: string[]): Promise<number> {
  const { flags } = parseArgs(args, ['summary', 'help'])
  if (flags.has('help')) {
    console.log(USAGE)
    return 0
  }
  const planFile = flags.get('plan-file')
  const planJson = flags.get('plan-json')
  if (!planFile === !planJson) throw new CliError(`give exactly one of --plan-file or --plan-json.\n${USAGE}`)
  const dir = flags.get('dir') ?? '.'
  const binary = (flags.get('binary') ?? 'terraform') as TerraformBinary
  if (binary !== 'terraform' && binary !== 'tofu') throw new CliError(`--binary must be terraform or tofu; got '${binary}'.`)
  const environment = flags.get('env') ?? ''

  let jsonText: string
  let planText: string | undefined
  let source: string
  if (planFile) {
    const logger = consoleLogger(Boolean(process.env.TFPIPE_DEBUG))
    const cwd = resolve(dir)
    const text = showPlanText(binary, planFile, cwd, { logger })
    text.catch(() => undefined)
    jsonText = await showPlanJson(binary, planFile, cwd, { logger })
    planText = await text
    source = `${binary} show -json ${planFile}`
  } else {
    jsonText = readText(planJson as string, 'plan-json')
    const textFlag = flags.get('plan-text')
    if (textFlag) planText = readText(textFlag, 'plan-text')
    source = planJson as string
  }
  const plan = parsePlanJson(jsonText, source)
  const model = buildPlanModel(plan)
  const prepared = preparePlan(model, planText === undefined ? undefined : scrubText(planText, planSecrets(plan)))
  const insights: Insights = {}
  const infracostPath = flags.get('infracost-json')
  const infracost = infracostPath ? { path: infracostPath, diff: loadInfracost(infracostPath) } : undefined
  if (infracost) insights.cost = costInsight(infracost.diff as InfracostJson)
  const sarif = (flags.get('sarif') ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((path) => ({ path, log: loadSarif(path) }))
  if (sarif.length > 0) insights.security = securityInsight(sarif.map((f) => f.log))
  const policyPath = flags.get('policy')
  if (policyPath) {
    if (!environment) throw new CliError('--policy needs --env: the gate preview uses that environment\'s rules.')
    const policy = environmentPolicy(loadPolicyFile(policyPath), environment, policyPath)
    insights.preview = await gatePreview(policy, { environment, sha: '', workingDirectory: normalizeDir(dir), model, sarif, ...(infracost ? { infracost } : {}) })
  }
  const target = flags.has('summary') ? 'summary' : 'comment'
  const view = { environment, directory: normalizeDir(dir), binary, insights: renderInsights(insights, target) }
  const out = target === 'summary' ? renderSummary(prepared, view, SUMMARY_LIMIT_BYTES) : renderComment(prepared, view)
  process.stdout.write(out)
  return model.errored ? 1 : 0
}
