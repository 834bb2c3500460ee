import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineCommand } from '../args.js'
import { CliError } from '../errors.js'
import { parseList } from '@tfpipe/kit/inputs.js'
import { consoleLogger } from '@tfpipe/kit/logger.js'
import { SUMMARY_LIMIT_BYTES } from '@tfpipe/kit/summary.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { showPlanJson, showPlanText, type TerraformBinary } from '@tfpipe/terraform/exec.js'
import { refuseJsonPlanFile } from '@tfpipe/terraform/plan-file.js'
import { planSecrets } from '@tfpipe/terraform/sensitive-places.js'
import { scrubText } from '@tfpipe/terraform/scrub.js'
import { normalizeDir } from '@tfpipe/github/reviewed-plan.js'
import { preparePlan } from '@tfpipe/plan-report/prepared.js'
import { renderComment, renderSummary } from '@tfpipe/plan-report/render.js'
import {
  costInsight,
  gatePreview,
  renderInsights,
  securityInsight,
  type Insights,
} from '@tfpipe/plan-report/insights.js'
import { loadInfracost, loadSarif } from '@tfpipe/policy/plan-source.js'
import { environmentPolicy, loadPolicyFile } from '@tfpipe/policy/load.js'
import { GATE_FLAG_NAMES } from './gate.js'

function readText(path: string, flag: string): string {
  if (!existsSync(path)) throw new CliError(`--${flag}: file ${path} not found.`)
  return readFileSync(path, 'utf8')
}

export const command = defineCommand({
  name: 'plan-comment',
  summary: 'print the plan-and-comment PR comment (or --summary: the job summary) for a plan',
  flags: [
    { name: 'plan-json', value: 'FILE', description: 'plan JSON (terraform show -json tfplan)' },
    {
      name: 'plan-text',
      value: 'FILE',
      description: 'the human plan (terraform show -no-color tfplan), folded into the comment',
      requires: ['plan-json'],
    },
    { name: 'plan-file', value: 'FILE', description: 'saved plan (terraform plan -out), shown with --binary in --dir' },
    {
      name: 'binary',
      value: 'BIN',
      description: 'the CLI that made the plan',
      choices: ['terraform', 'tofu'],
      default: 'terraform',
    },
    {
      name: 'dir',
      value: 'DIR',
      description: 'working directory: where --plan-file is shown, and the directory named in the comment',
      default: '.',
    },
    { name: 'env', value: 'ENV', description: 'environment named in the comment' },
    { name: 'summary', description: 'print the job summary instead of the PR comment' },
    { name: 'infracost-json', value: 'FILE', description: 'the JSON of infracost diff (cost block)' },
    { name: 'sarif', value: 'FILES', description: 'comma-separated SARIF files (security block)' },
    { name: 'policy', value: 'FILE', description: "preview safety-gate's verdict with this policy", requires: ['env'] },
  ],
  oneOf: [['plan-json', 'plan-file']],
  notes: 'Prints exactly the markdown plan-and-comment would post (or, with --summary, write to the job summary).',
  async run(flags) {
    const planFile = flags.string('plan-file')
    const planJson = flags.string('plan-json')
    const dir = flags.string('dir')!
    const binary = flags.string('binary') as TerraformBinary
    const environment = flags.string('env') ?? ''

    let jsonText: string
    let planText: string | undefined
    let source: string
    if (planFile) {
      const logger = consoleLogger(Boolean(process.env.TFPIPE_DEBUG))
      const cwd = resolve(dir)
      refuseJsonPlanFile(resolve(cwd, planFile), GATE_FLAG_NAMES)
      const text = showPlanText(binary, planFile, cwd, { logger, binaryOption: GATE_FLAG_NAMES.binary })
      text.catch(() => undefined)
      jsonText = await showPlanJson(binary, planFile, cwd, { logger, binaryOption: GATE_FLAG_NAMES.binary })
      planText = await text
      source = `${binary} show -json ${planFile}`
    } else {
      jsonText = readText(planJson!, 'plan-json')
      const textFlag = flags.string('plan-text')
      if (textFlag) planText = readText(textFlag, 'plan-text')
      source = planJson!
    }
    const plan = parsePlanJson(jsonText, source)
    const model = buildPlanModel(plan)
    const prepared = preparePlan(model, planText === undefined ? undefined : scrubText(planText, planSecrets(plan)))
    const insights: Insights = {}
    const infracostPath = flags.string('infracost-json')
    const infracost = infracostPath ? { path: infracostPath, diff: loadInfracost(infracostPath) } : undefined
    if (infracost) insights.cost = costInsight(infracost.diff)
    const sarif = parseList(flags.string('sarif') ?? '').map((path) => ({ path, log: loadSarif(path) }))
    if (sarif.length > 0) insights.security = securityInsight(sarif.map((f) => f.log))
    const policyPath = flags.string('policy')
    if (policyPath) {
      const policy = environmentPolicy(loadPolicyFile(policyPath), environment, policyPath)
      insights.preview = await gatePreview(policy, {
        environment,
        sha: '',
        workingDirectory: normalizeDir(dir),
        model,
        sarif,
        ...(infracost ? { infracost } : {}),
        names: GATE_FLAG_NAMES,
      })
    }
    const target = flags.bool('summary') ? 'summary' : 'comment'
    const view = { environment, directory: normalizeDir(dir), binary, insights: renderInsights(insights, target) }
    const out =
      target === 'summary' ? renderSummary(prepared, view, SUMMARY_LIMIT_BYTES) : renderComment(prepared, view)
    process.stdout.write(out)
    return model.errored ? 1 : 0
  },
})
