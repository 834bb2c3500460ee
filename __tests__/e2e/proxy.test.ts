/**
 * Behind a corporate proxy: the bundles reach GitHub, Slack, S3 and DynamoDB only through
 * HTTPS_PROXY/HTTP_PROXY (the targets' host names resolve nowhere else), and NO_PROXY sends a host
 * around the proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDeployTagMessage } from '@tfpipe/github/deploy-tags.js'
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { MOTO_CREDENTIALS, motoS3Client, startMoto, type MotoServer } from '../support/moto.js'
import { repoRoot, runAction } from '../support/run-action.js'
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js'
import { stateFixture } from '../support/state-fixture.js'
import { startAll } from '../support/start-all.js'

// moto takes a dotted Host for a virtual-hosted bucket name: its proxied name has no dot.
const HOSTS = { github: 'api.github.test', slack: 'hooks.slack.test', aws: 'motoproxied' }

let proxy: ForwardProxy
let github: GitHubServer
let slack: SlackReceiver
let moto: MotoServer

beforeAll(async () => {
  ;[proxy, github, slack, moto] = await startAll([
    startForwardProxy({ hosts: Object.values(HOSTS) }),
    startGitHubServer(),
    startSlackReceiver(),
    startMoto(),
  ])
}, 60_000)
afterAll(async () => Promise.all([proxy?.close(), github?.close(), slack?.close(), moto?.close()]))

/** The same server under a name only the proxy can reach. */
function behindProxy(url: string, host: string): string {
  const u = new URL(url)
  u.hostname = host
  return u.href.replace(/\/$/, '')
}

const proxyEnv = (extra: Record<string, string> = {}) => ({
  HTTPS_PROXY: proxy.url,
  HTTP_PROXY: proxy.url,
  NO_PROXY: 'example.invalid,.corp.example',
  ...extra,
})
const seen = (host: string) => proxy.targets.filter((t) => t.startsWith(`${host}:`)).length

describe('behind a forward proxy', () => {
  it('notify-slack posts the webhook through the proxy', async () => {
    const before = slack.requests.length
    const run = await runAction('notify-slack', {
      inputs: {
        event: 'deploy-succeeded',
        environment: 'dev',
        'webhook-url': behindProxy(slack.webhookUrl('/services/T1/B1/ProxySecret'), HOSTS.slack),
        details: join(repoRoot, '__tests__', 'fixtures', 'details', 'deploy-succeeded.json'),
      },
      env: proxyEnv(),
      eventName: 'push',
    })
    expect(run.annotations).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(slack.requests.length - before).toBe(1)
    expect(seen(HOSTS.slack)).toBeGreaterThan(0)
  })

  it('plan-and-comment writes its comment through the proxy', async () => {
    github.addPullRequest({ number: 31, head_sha: 'cd'.repeat(20), state: 'open' })
    const run = await runAction('plan-and-comment', {
      eventName: 'pull_request',
      event: { pull_request: { number: 31 } },
      inputs: {
        'github-token': 'test-token',
        'plan-json': join(repoRoot, '__tests__', 'fixtures', 'plans', 'replace.json'),
        environment: 'dev',
      },
      env: proxyEnv({ GITHUB_API_URL: behindProxy(github.url, HOSTS.github) }),
    })
    expect(run.exitCode).toBe(0)
    expect(github.comments(31)).toHaveLength(1)
    expect(seen(HOSTS.github)).toBeGreaterThan(0)
  })

  it('tag-deploy reads the S3 state version and tags through the proxy', async () => {
    const fixture = await stateFixture(moto)
    await fixture.apply(1)
    // The backend terraform recorded at init, pointed at the proxied name.
    const backendFile = join(fixture.dir, '.terraform', 'terraform.tfstate')
    writeFileSync(
      backendFile,
      readFileSync(backendFile, 'utf8').replaceAll(moto.endpoint, behindProxy(moto.endpoint, HOSTS.aws)),
    )
    const before = seen(HOSTS.aws)
    const sha = 'ef'.repeat(20)
    const run = await runAction('tag-deploy', {
      inputs: {
        environment: 'dev',
        sha,
        'plan-json': join(repoRoot, '__tests__', 'fixtures', 'plans', 'replace.json'),
        'working-directory': fixture.dir,
        'github-token': 'test-token',
      },
      env: proxyEnv({
        GITHUB_API_URL: behindProxy(github.url, HOSTS.github),
        GITHUB_RUN_ID: '501',
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'us-east-1',
      }),
      eventName: 'workflow_dispatch',
    })
    expect(run.annotations).toEqual([])
    expect(run.exitCode).toBe(0)
    const head = await motoS3Client(moto.endpoint).send(
      new HeadObjectCommand({ Bucket: fixture.bucket, Key: fixture.key }),
    )
    const tag = github.tagObjects().find((t) => t.tag === run.outputs.tag)
    expect(parseDeployTagMessage(tag?.message ?? '')?.state?.versionId).toBe(head.VersionId)
    expect(seen(HOSTS.aws)).toBeGreaterThan(before)
  }, 120_000)

  it('NO_PROXY sends an exempted host around the proxy', async () => {
    const before = proxy.targets.length
    const run = await runAction('notify-slack', {
      inputs: {
        event: 'deploy-succeeded',
        environment: 'dev',
        'webhook-url': behindProxy(slack.webhookUrl('/services/T1/B1/Direct'), HOSTS.slack),
        details: join(repoRoot, '__tests__', 'fixtures', 'details', 'deploy-succeeded.json'),
      },
      env: proxyEnv({ NO_PROXY: `example.invalid,${HOSTS.slack}` }),
      eventName: 'push',
    })
    // Direct, the name resolves nowhere: the send fails, and the proxy never saw it.
    expect(proxy.targets.length).toBe(before)
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/ENOTFOUND|EAI_AGAIN|not found|getaddrinfo/i)
  })
})
