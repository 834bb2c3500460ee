import { resolve } from 'node:path'
import { ConfigurationError } from '../../../kit/src/errors.js'
import { parseList } from '../../../kit/src/inputs.js'
import { consoleLogger } from '../../../kit/src/logger.js'
import { createGitHubClient } from '../../../github/src/client.js'
import { environmentPolicy, loadPolicyFile } from '../../../policy/src/load.js'
import { evaluateGate } from '../../../policy/src/gate.js'
import { createGateGitHub } from '../../../policy/src/github.js'
import { loadInfracost, loadPlanSource, loadSarif, planAfterClock } from '../../../policy/src/plan-source.js'
import { DEFAULT_TAG_FORMAT, validateTagFormat } from '../../../github/src/deploy-tags.js'
import { parseHeaderLine } from '../../../kit/src/inputs.js'
import { renderReport, renderText } from '../../../policy/src/report.js'
import { parseArgs, requireFlag } from '../args.js'
import { CliError } from '../errors.js'

export const summary = 'check a deploy against the safety-gate policy (same verdict as the action); exit 1 when refused'

const HELP = `usage: tfpipe gate --env ENV [--policy .github/terraform-policy.yml]
                  [--plan-json plan.json | --plan-file tfplan [--dir .] [--binary terraform|tofu]]
                  [--confirmation TEXT] [--ticket CHG-123] [--force-recreate] [--override-reason TEXT]
                  [--infracost-json diff.json] [--sarif a.sarif,b.sarif] [--now 2026-12-24T10:00:00Z]
                  [--repo owner/repo --sha SHA [--api-url URL] [--token-env GITHUB_TOKEN] [--tag-format deploy-{env}-{timestamp}]]
                  [--ticket-auth-header-env NAME]
                  [--format text|markdown|json]

GitHub checks (approvals, promotion, reviewed plan, protected-resource label) run only with --repo
and a token in the environment variable named by --token-env (default GITHUB_TOKEN); without them
those checks report that GitHub was not read. --ticket-auth-header-env names an environment variable
holding 'Name: value', sent with the policy's ticket.verify-url request. With --now, a plan made after
that time gives a warning on stderr.
exit codes: 0 allowed, 1 refused, 2 usage or policy error.`

const BOOLEANS = ['force-recreate', 'help']

export async function run(args: string[]): Promise<number> {
  const { flags } = parseArgs(args, BOOLEANS)
  if (flags.has('help')) {
    console.log(HELP)
    return 0
  }
  const environment = requireFlag(flags, 'env')
  const policyPath = flags.get('policy') ?? '.github/terraform-policy.yml'
  const format = flags.get('format') ?? 'text'
  if (!['text', 'markdown', 'json'].includes(format)) throw new CliError(`--format must be text, markdown or json; got '${format}'.`)
  let now: Date | undefined
  if (flags.has('now')) {
    now = new Date(requireFlag(flags, 'now'))
    if (Number.isNaN(now.getTime())) throw new CliError(`--now must be an ISO time such as 2026-12-24T10:00:00Z; got '${flags.get('now')}'.`)
  }
  const binary = flags.get('binary') ?? 'terraform'
  if (binary !== 'terraform' && binary !== 'tofu') throw new CliError(`--binary must be terraform or tofu; got '${binary}'.`)
  const logger = consoleLogger(Boolean(process.env.TFPIPE_DEBUG))
  const policy = environmentPolicy(loadPolicyFile(policyPath), environment, policyPath)
  const dir = flags.get('dir') ?? '.'
  const plan = await loadPlanSource({
    ...(flags.get('plan-json') ? { planJson: flags.get('plan-json') as string } : {}),
    ...(flags.get('plan-file') ? { planFile: flags.get('plan-file') as string } : {}),
    binary,
    workingDirectory: resolve(dir),
    logger,
  })

  const repoFlag = flags.get('repo')
  let github
  if (repoFlag) {
    const [owner, repo] = repoFlag.split('/')
    if (!owner || !repo) throw new CliError(`--repo must be owner/repo; got '${repoFlag}'.`)
    const tokenEnv = flags.get('token-env') ?? 'GITHUB_TOKEN'
    const token = process.env[tokenEnv]
    if (!token) throw new ConfigurationError(`--repo needs a token: set the environment variable ${tokenEnv} (or name another with --token-env).`)
    const apiUrl = flags.get('api-url') ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
    const tagFormat = flags.get('tag-format') ?? DEFAULT_TAG_FORMAT
    validateTagFormat(tagFormat, '--tag-format')
    github = createGateGitHub(createGitHubClient({ token, baseUrl: apiUrl, logger }), { owner, repo }, { apiUrl, tagFormat })
  }
  if (now) {
    const warning = planAfterClock(plan, now)
    if (warning) logger.warning(warning)
  }
  let ticketAuthHeader
  const headerEnv = flags.get('ticket-auth-header-env')
  if (headerEnv) {
    const raw = process.env[headerEnv]
    if (!raw) throw new ConfigurationError(`--ticket-auth-header-env ${headerEnv}: that environment variable is not set.`)
    ticketAuthHeader = parseHeaderLine(`--ticket-auth-header-env ${headerEnv}`, raw)
  }
  const sha = flags.get('sha') ?? ''
  if (github && !/^[0-9a-f]{40}$/.test(sha)) throw new CliError('--repo needs --sha with the full 40-character commit being deployed.')

  const verdict = await evaluateGate(policy, {
    environment,
    sha,
    workingDirectory: dir,
    ...(plan ? { plan } : {}),
    confirmation: flags.get('confirmation') ?? '',
    changeTicket: flags.get('ticket') ?? '',
    forceRecreate: flags.get('force-recreate') === 'true',
    overrideReason: flags.get('override-reason') ?? '',
    ...(flags.get('infracost-json') ? { infracost: { path: flags.get('infracost-json') as string, diff: loadInfracost(flags.get('infracost-json') as string) } } : {}),
    sarif: parseList(flags.get('sarif') ?? '').map((path) => ({ path, log: loadSarif(path) })),
    ...(github ? { github } : {}),
    ...(now ? { now: () => now as Date } : {}),
    ...(ticketAuthHeader ? { ticketAuthHeader } : {}),
    logger,
  })
  if (format === 'json') console.log(JSON.stringify(verdict, null, 2))
  else if (format === 'markdown') process.stdout.write(renderReport(verdict))
  else process.stdout.write(renderText(verdict))
  return verdict.allowed ? 0 : 1
}
