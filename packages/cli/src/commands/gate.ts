import { resolve } from 'node:path'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { parseHeaderLine, parseList } from '@tfpipe/kit/inputs.js'
import { consoleLogger } from '@tfpipe/kit/logger.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import type { GateOptionNames } from '@tfpipe/policy/context.js'
import { environmentPolicy, loadPolicyFile } from '@tfpipe/policy/load.js'
import { evaluateGate } from '@tfpipe/policy/gate.js'
import { createGateGitHub } from '@tfpipe/policy/github.js'
import { loadInfracost, loadPlanSource, loadSarif, planAfterClock } from '@tfpipe/policy/plan-source.js'
import { renderReport, renderText } from '@tfpipe/policy/report.js'
import { defineCommand } from '../args.js'
import { CliError } from '../errors.js'

/** The gate's option names as this CLI spells them (messages from the shared rules use these). */
export const GATE_FLAG_NAMES: GateOptionNames = {
  planJson: '--plan-json',
  planFile: '--plan-file',
  changeTicket: '--ticket',
  forceRecreate: '--force-recreate',
  overrideReason: '--override-reason',
  workingDirectory: '--dir',
  binary: '--binary',
}

export const command = defineCommand({
  name: 'gate',
  summary: 'check a deploy against the safety-gate policy (same verdict as the action); exit 1 when refused',
  flags: [
    { name: 'env', value: 'ENV', description: 'environment whose policy applies', required: true },
    { name: 'policy', value: 'FILE', description: 'policy file', default: '.github/terraform-policy.yml' },
    {
      name: 'plan-json',
      value: 'FILE',
      description: 'plan JSON (terraform show -json tfplan)',
      conflicts: ['plan-file'],
    },
    {
      name: 'plan-file',
      value: 'FILE',
      description: 'saved plan (terraform plan -out), read with --binary show -json in --dir',
      conflicts: ['plan-json'],
    },
    { name: 'dir', value: 'DIR', description: 'working directory of the plan', default: '.' },
    {
      name: 'binary',
      value: 'BIN',
      description: 'the CLI that made the plan',
      choices: ['terraform', 'tofu'],
      default: 'terraform',
    },
    {
      name: 'confirmation',
      value: 'TEXT',
      description: "the confirmation typed for the deploy (policy 'confirmation')",
    },
    { name: 'ticket', value: 'ID', description: 'change ticket (CHG-123)' },
    { name: 'force-recreate', description: 'allow more destroys/replaces than destroy.max (a warning)' },
    { name: 'override-reason', value: 'TEXT', description: 'emergency override, where the policy allows one' },
    { name: 'infracost-json', value: 'FILE', description: 'the JSON of infracost diff' },
    { name: 'sarif', value: 'FILES', description: 'comma-separated SARIF files (tfsec, checkov, trivy)' },
    { name: 'now', value: 'TIME', description: 'judge windows and freezes at this ISO time (2026-12-24T10:00:00Z)' },
    {
      name: 'repo',
      value: 'OWNER/REPO',
      description: 'read GitHub for approvals, promotion, reviewed plan, labels',
      requires: ['sha'],
    },
    { name: 'sha', value: 'SHA', description: 'the full 40-character commit being deployed', requires: ['repo'] },
    {
      name: 'api-url',
      value: 'URL',
      description: 'GitHub API (default $GITHUB_API_URL or https://api.github.com)',
      requires: ['repo'],
    },
    {
      name: 'token-env',
      value: 'NAME',
      description: 'environment variable holding the GitHub token',
      default: 'GITHUB_TOKEN',
    },
    {
      name: 'ticket-auth-header-env',
      value: 'NAME',
      description: "environment variable holding 'Name: value' for the policy's ticket.verify-url",
    },
    {
      name: 'format',
      value: 'FORMAT',
      description: 'output format',
      choices: ['text', 'markdown', 'json'],
      default: 'text',
    },
  ],
  notes: `GitHub checks run only with --repo and a token in the variable named by --token-env; without them
those checks report that GitHub was not read. With --now, a plan made after that time gives a warning.
exit codes: 0 allowed, 1 refused, 2 usage or policy error.`,
  async run(flags) {
    const environment = flags.string('env')!
    const policyPath = flags.string('policy')!
    let now: Date | undefined
    const nowRaw = flags.string('now')
    if (nowRaw !== undefined) {
      now = new Date(nowRaw)
      if (Number.isNaN(now.getTime()))
        throw new CliError(`--now must be an ISO time such as 2026-12-24T10:00:00Z; got '${nowRaw}'.`)
    }
    const sha = flags.string('sha') ?? ''
    if (flags.has('sha') && !/^[0-9a-f]{40}$/.test(sha))
      throw new CliError(`--sha must be the full 40-character commit being deployed; got '${sha}'.`)
    const binary = flags.string('binary') as 'terraform' | 'tofu'
    const logger = consoleLogger(Boolean(process.env.TFPIPE_DEBUG))
    const policy = environmentPolicy(loadPolicyFile(policyPath), environment, policyPath)
    const dir = flags.string('dir')!
    const planJson = flags.string('plan-json')
    const planFile = flags.string('plan-file')
    const plan = await loadPlanSource({
      ...(planJson ? { planJson } : {}),
      ...(planFile ? { planFile } : {}),
      binary,
      workingDirectory: resolve(dir),
      logger,
      names: GATE_FLAG_NAMES,
    })

    const repoFlag = flags.string('repo')
    let github
    if (repoFlag) {
      const [owner, repo] = repoFlag.split('/')
      if (!owner || !repo) throw new CliError(`--repo must be owner/repo; got '${repoFlag}'.`)
      const tokenEnv = flags.string('token-env')!
      const token = process.env[tokenEnv]
      if (!token)
        throw new ConfigurationError(
          `--repo needs a token: set the environment variable ${tokenEnv} (or name another with --token-env).`,
        )
      const apiUrl = flags.string('api-url') ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
      github = createGateGitHub(createGitHubClient({ token, baseUrl: apiUrl, logger }), { owner, repo }, { apiUrl })
    }
    if (now) {
      const warning = planAfterClock(plan, now)
      if (warning) logger.warning(warning)
    }
    let ticketAuthHeader
    const headerEnv = flags.string('ticket-auth-header-env')
    if (headerEnv) {
      const raw = process.env[headerEnv]
      if (!raw)
        throw new ConfigurationError(`--ticket-auth-header-env ${headerEnv}: that environment variable is not set.`)
      ticketAuthHeader = parseHeaderLine(`--ticket-auth-header-env ${headerEnv}`, raw)
    }
    const infracostPath = flags.string('infracost-json')

    const verdict = await evaluateGate(policy, {
      names: GATE_FLAG_NAMES,
      environment,
      sha,
      workingDirectory: dir,
      ...(plan ? { plan } : {}),
      confirmation: flags.string('confirmation') ?? '',
      changeTicket: flags.string('ticket') ?? '',
      forceRecreate: flags.bool('force-recreate'),
      overrideReason: flags.string('override-reason') ?? '',
      ...(infracostPath ? { infracost: { path: infracostPath, diff: loadInfracost(infracostPath) } } : {}),
      sarif: parseList(flags.string('sarif') ?? '').map((path) => ({ path, log: loadSarif(path) })),
      ...(github ? { github } : {}),
      ...(now ? { now: () => now } : {}),
      ...(ticketAuthHeader ? { ticketAuthHeader } : {}),
      logger,
    })
    const format = flags.string('format')
    if (format === 'json') console.log(JSON.stringify(verdict, null, 2))
    else if (format === 'markdown') process.stdout.write(renderReport(verdict))
    else process.stdout.write(renderText(verdict))
    return verdict.allowed ? 0 : 1
  },
})
