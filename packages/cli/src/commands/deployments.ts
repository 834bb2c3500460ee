import { consoleLogger } from '../../../kit/src/logger.js'
import { parseInteger } from '../../../kit/src/inputs.js'
import { ConfigurationError } from '../../../kit/src/errors.js'
import { createGitHubClient } from '../../../github/src/client.js'
import { assertRefSafeEnvironment, DEFAULT_TAG_FORMAT, listDeployTags } from '../../../github/src/deploy-tags.js'
import { parseArgs, requireFlag } from '../args.js'
import { CliError } from '../errors.js'

export const summary = 'list the last deploy tags of an environment (what tag-deploy recorded), newest first'

const HELP = `usage: tfpipe deployments --env ENV [--repo owner/repo] [--api-url URL] [--token-env GITHUB_TOKEN]
                         [--limit 10] [--tag-format deploy-{env}-{timestamp}] [--json]

--repo defaults to $GITHUB_REPOSITORY, --api-url to $GITHUB_API_URL or https://api.github.com; the token is
read from the environment variable named by --token-env (default GITHUB_TOKEN).`

export async function run(args: string[]): Promise<number> {
  const { flags } = parseArgs(args, ['json', 'help'])
  if (flags.has('help')) {
    console.log(HELP)
    return 0
  }
  const environment = requireFlag(flags, 'env')
  assertRefSafeEnvironment(environment)
  const repoFlag = flags.get('repo') ?? process.env.GITHUB_REPOSITORY ?? ''
  const [owner, repo] = repoFlag.split('/')
  if (!owner || !repo) throw new CliError('--repo owner/repo is required (or set GITHUB_REPOSITORY).')
  const tokenEnv = flags.get('token-env') ?? 'GITHUB_TOKEN'
  const token = process.env[tokenEnv]
  if (!token) throw new ConfigurationError(`No token: set the environment variable ${tokenEnv} (or name another with --token-env).`)
  const limit = parseInteger('--limit', flags.get('limit') ?? '10', { min: 1, max: 100 })
  const apiUrl = flags.get('api-url') ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
  const serverUrl = process.env.GITHUB_SERVER_URL ?? (apiUrl === 'https://api.github.com' ? 'https://github.com' : apiUrl.replace(/\/api\/v3\/?$/, ''))
  const client = createGitHubClient({ token, baseUrl: apiUrl, logger: consoleLogger(Boolean(process.env.TFPIPE_DEBUG)) })
  const tags = await listDeployTags(client, { owner, repo }, environment, { format: flags.get('tag-format') ?? DEFAULT_TAG_FORMAT, limit, serverUrl })
  if (flags.get('json') === 'true') {
    console.log(JSON.stringify(tags.map((t) => ({ tag: t.name, url: t.url, ...t.metadata })), null, 2))
    return 0
  }
  if (tags.length === 0) {
    console.log(`No deploy tags for ${environment} in ${owner}/${repo}.`)
    return 0
  }
  const rows = [['TAG', 'STATUS', 'COMMIT', 'CHANGES', 'FINISHED', 'BY', 'STATE SERIAL']]
  for (const t of tags) {
    const m = t.metadata
    const c = m?.counts
    rows.push([t.name, m?.status ?? '', (m?.sha ?? t.commitSha).slice(0, 12), c ? `+${c.add} ~${c.change} -${c.destroy}` : '', m?.finishedAt ?? '', m?.actor ?? '', m?.state ? String(m.state.serial) : ''])
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  console.log(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n'))
  return 0
}
