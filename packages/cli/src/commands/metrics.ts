import { writeFileSync } from 'node:fs'
import { ConfigurationError } from '../../../kit/src/errors.js'
import { parseList } from '../../../kit/src/inputs.js'
import { consoleLogger } from '../../../kit/src/logger.js'
import { createGitHubClient, describeGitHubError } from '../../../github/src/client.js'
import { readDeliveryHistory } from '../../../github/src/delivery-history.js'
import { assertRefSafeEnvironment, DEFAULT_TAG_FORMAT, validateTagFormat } from '../../../github/src/deploy-tags.js'
import { computeMetrics } from '../../../metrics/src/compute.js'
import { parseUntil, renderReport } from '../../../metrics/src/report.js'
import { parseSince } from '../../../metrics/src/window.js'
import { parseArgs } from '../args.js'
import { CliError } from '../errors.js'

export const summary = 'delivery metrics per environment (deployments, success rate, duration, rollbacks, MTTR, lead time)'

const HELP = `usage: tfpipe metrics --repo owner/repo [--since 30d] [--until ISO] [--environment ENV ...]
                      [--out report.html] [--json report.json] [--tag-format deploy-{env}-{timestamp}]
                      [--api-url URL] [--token-env GITHUB_TOKEN]

Reads the GitHub Deployments, their statuses and the deploy tags of the window and prints a markdown
table per environment. --environment may be repeated or comma-separated; without it every environment
of the repository is read. --since is a duration (30d, 12h, 2w) or a date; --until defaults to now.
--out writes a self-contained HTML page with charts, --json the numbers. --repo defaults to
$GITHUB_REPOSITORY, --api-url to $GITHUB_API_URL or https://api.github.com; the token (contents: read,
deployments: read) is read from the environment variable named by --token-env (default GITHUB_TOKEN).`

/** Every value of a repeatable flag (`--environment a --environment b,c`); the parser keeps only the last. */
function repeated(args: string[], name: string): string[] {
  const values: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === `--${name}` && args[i + 1] !== undefined) values.push(args[++i] as string)
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3))
  }
  return values.flatMap((v) => parseList(v))
}

export async function run(args: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(args, ['help'])
  if (flags.has('help')) {
    console.log(HELP)
    return 0
  }
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'; see tfpipe metrics --help.`)
  const repoFlag = flags.get('repo') ?? process.env.GITHUB_REPOSITORY ?? ''
  const [owner, repo, extra] = repoFlag.split('/')
  if (!owner || !repo || extra !== undefined) throw new CliError('--repo owner/repo is required (or set GITHUB_REPOSITORY).')
  const environments = repeated(args, 'environment')
  for (const e of environments) assertRefSafeEnvironment(e)
  const tagFormat = flags.get('tag-format') ?? DEFAULT_TAG_FORMAT
  validateTagFormat(tagFormat, '--tag-format')
  const until = parseUntil(flags.get('until'), new Date(), '--until')
  const since = parseSince(flags.get('since') ?? '30d', until, '--since')
  const tokenEnv = flags.get('token-env') ?? 'GITHUB_TOKEN'
  const token = process.env[tokenEnv]
  if (!token) throw new ConfigurationError(`No token: set the environment variable ${tokenEnv} (or name another with --token-env).`)
  const apiUrl = flags.get('api-url') ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
  const logger = consoleLogger(Boolean(process.env.TFPIPE_DEBUG))
  const client = createGitHubClient({ token, baseUrl: apiUrl, logger })

  let result
  try {
    result = await readDeliveryHistory(client, { owner, repo }, { environments, since, until, tagFormat, logger })
  } catch (error) {
    throw new Error(describeGitHubError(error, `read the deployments of ${owner}/${repo}`))
  }
  const report = { ...computeMetrics(result.history, new Date()), requests: result.requests }
  const rendered = renderReport(report)
  const out = flags.get('out')
  const json = flags.get('json')
  if (out) writeFileSync(out, rendered.html)
  if (json) writeFileSync(json, rendered.json)
  console.log(rendered.markdown.trimEnd())
  logger.info(`${result.requests} GitHub API request(s)${out ? `; HTML written to ${out}` : ''}${json ? `; JSON written to ${json}` : ''}.`)
  return 0
}
