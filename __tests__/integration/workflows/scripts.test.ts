// The `run:` scripts of the reusable workflows, executed as the runner executes them
// (bash --noprofile --norc -eo pipefail, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / RUNNER_TEMP files),
// with real jq, git and a stand-in terraform binary that records its arguments.
import { beforeEach, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findStep, runScript, workflow, type Job } from '../../support/workflow-files.js'

const job = (wf: string, id: string): Job => {
  const j = workflow(wf).doc.jobs[id]
  if (!j) throw new Error(`${wf} has no job ${id}`)
  return j
}
const script = (wf: string, jobId: string, stepId: string): string => {
  const run = findStep(job(wf, jobId), stepId).run
  if (typeof run !== 'string') throw new Error(`${wf}/${jobId}/${stepId} has no run`)
  return run
}

/** An empty git repository in a temporary directory, and `git` run inside it (throws on failure). */
function tempRepo(): { repo: string; git: (...args: string[]) => string } {
  const repo = mkdtempSync(join(tmpdir(), 'tfpipe-git-'))
  const git = (...args: string[]): string => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(r.stderr)
    return r.stdout.trim()
  }
  return { repo, git }
}

/** A directory on PATH with a fake `terraform` that logs its argv and exits with $FAKE_TF_EXIT. */
function fakeTerraform(): { bin: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-fake-tf-'))
  const log = join(dir, 'argv.log')
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  const tf = join(bin, 'terraform')
  writeFileSync(tf, `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${log}"\nexit "\${FAKE_TF_EXIT:-0}"\n`)
  chmodSync(tf, 0o755)
  return { bin, log }
}

describe.each([
  ['terraform-plan', 'check'],
  ['terraform-drift', 'matrix'],
])('%s matrix builder', (wf, jobId) => {
  const run = script(wf, jobId, 'matrix')
  const base = {
    TFPIPE_BIN: 'terraform',
    TFPIPE_MODE: 'full',
    TFPIPE_COMMENT_MODE: 'per-environment',
    TFPIPE_SCANNERS: '',
  }

  test('splits comma and newline lists, trims, drops empties', () => {
    const r = runScript(run, {
      ...base,
      TFPIPE_ENVIRONMENTS: ' dev, sit ,,prod\n',
      TFPIPE_DIRECTORIES: 'stacks/a\n\n  stacks/b  \n',
    })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.outputs.environments!)).toEqual(['dev', 'sit', 'prod'])
    expect(JSON.parse(r.outputs.directories!)).toEqual(['stacks/a', 'stacks/b'])
    if (wf === 'terraform-drift') expect(r.outputs.expected).toBe('6')
  })

  test('takes a JSON array as is', () => {
    const r = runScript(run, { ...base, TFPIPE_ENVIRONMENTS: '["prod"]', TFPIPE_DIRECTORIES: ' ["."]' })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.outputs.environments!)).toEqual(['prod'])
    expect(JSON.parse(r.outputs.directories!)).toEqual(['.'])
  })

  test.each([
    [
      'an environment name with shell characters',
      { TFPIPE_ENVIRONMENTS: 'dev;rm -rf', TFPIPE_DIRECTORIES: '.' },
      /environment names/,
    ],
    [
      'a directory outside the repository',
      { TFPIPE_ENVIRONMENTS: 'dev', TFPIPE_DIRECTORIES: 'ok,../secrets' },
      /relative paths/,
    ],
    ['an absolute directory', { TFPIPE_ENVIRONMENTS: 'dev', TFPIPE_DIRECTORIES: '/etc' }, /relative paths/],
    ['no environment', { TFPIPE_ENVIRONMENTS: ' , ', TFPIPE_DIRECTORIES: '.' }, /environments is empty/],
    [
      'an unknown binary',
      { TFPIPE_ENVIRONMENTS: 'dev', TFPIPE_DIRECTORIES: '.', TFPIPE_BIN: 'bash' },
      /terraform or tofu/,
    ],
  ])('refuses %s', (_what, env, message) => {
    const r = runScript(run, { ...base, ...env })
    expect(r.status).not.toBe(0)
    expect(r.stdout).toMatch(message)
    expect(r.outputs.environments).toBeUndefined()
  })

  if (wf === 'terraform-plan') {
    test('refuses an unknown comment-mode', () => {
      const r = runScript(run, {
        ...base,
        TFPIPE_ENVIRONMENTS: 'dev',
        TFPIPE_DIRECTORIES: '.',
        TFPIPE_COMMENT_MODE: 'single',
      })
      expect(r.status).toBe(1)
      expect(r.stdout).toMatch(/comment-mode must be per-environment or combined/)
    })
  }
})

describe('per-environment files and terraform plan', () => {
  test('resolve replaces {env} in var files (a list) and the backend config', () => {
    const r = runScript(script('terraform-plan', 'plan', 'files'), {
      TFPIPE_ENV: 'sit',
      TFPIPE_DIR: 'stacks/app',
      TFPIPE_VAR_FILE: 'common.tfvars\nenv/{env}.tfvars',
      TFPIPE_BACKEND_CONFIG: 'backend/{env}.hcl',
      TFPIPE_SCANNERS: 'checkov,trivy',
      RUNNER_TEMP: '/runner/tmp',
    })
    expect(r.status).toBe(0)
    expect(r.outputs['var-file']).toBe('common.tfvars\nenv/sit.tfvars')
    expect(r.outputs['backend-config']).toBe('backend/sit.hcl')
    // this directory's SARIF, as the check job named it
    expect(r.outputs.sarif).toBe(
      '/runner/tmp/tfpipe-scan/stacks-app/checkov.sarif\n/runner/tmp/tfpipe-scan/stacks-app/trivy.sarif',
    )
  })

  test.each(['terraform-plan', 'terraform-apply', 'terraform-rollback'])(
    '%s: plan saves tfplan with -detailed-exitcode; 0 and 2 pass, 1 fails',
    (wf) => {
      const jobId = wf === 'terraform-rollback' ? 'rollback' : 'plan'
      const run = script(wf, jobId, 'plan')
      const { bin, log } = fakeTerraform()
      const env = {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        TFPIPE_BIN: 'terraform',
        TFPIPE_ENV: 'dev',
        TFPIPE_VAR_FILE: 'a.tfvars\nenv/dev.tfvars\n',
        TFPIPE_LOCK_TIMEOUT: '5m',
      }
      const ok = runScript(run, { ...env, FAKE_TF_EXIT: '0' })
      expect(ok.status).toBe(0)
      expect(ok.outputs.exitcode).toBe('0')
      const changes = runScript(run, { ...env, FAKE_TF_EXIT: '2' })
      expect(changes.status).toBe(0)
      expect(changes.outputs.exitcode).toBe('2')
      const broken = runScript(run, { ...env, FAKE_TF_EXIT: '1' })
      expect(broken.status).toBe(1)
      expect(broken.stdout).toMatch(/::error::terraform plan failed/)
      const argv = readFileSync(log, 'utf8').trim().split('\n')
      expect(argv).toHaveLength(3)
      expect(argv[0]).toBe(
        'plan -input=false -no-color -detailed-exitcode -lock-timeout=5m -out=tfplan -var-file=a.tfvars -var-file=env/dev.tfvars',
      )
    },
  )

  test('init passes the resolved backend config, or none', () => {
    const run = script('terraform-apply', 'deploy', 'init')
    const { bin, log } = fakeTerraform()
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, TFPIPE_BIN: 'terraform' }
    expect(runScript(run, { ...env, TFPIPE_BACKEND_CONFIG: 'backend/prod.hcl' }).status).toBe(0)
    expect(runScript(run, { ...env, TFPIPE_BACKEND_CONFIG: '' }).status).toBe(0)
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'init -input=false -no-color -backend-config=backend/prod.hcl',
      'init -input=false -no-color',
    ])
  })

  test('apply applies the saved plan file, nothing else', () => {
    const run = script('terraform-apply', 'deploy', 'apply')
    const { bin, log } = fakeTerraform()
    const r = runScript(run, {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      TFPIPE_BIN: 'terraform',
      TFPIPE_LOCK_TIMEOUT: '1m',
    })
    expect(r.status).toBe(0)
    expect(readFileSync(log, 'utf8').trim()).toBe('apply -input=false -no-color -lock-timeout=1m tfplan')
  })

  test('apply: gate inputs are located inside the downloaded artifact', () => {
    const run = script('terraform-apply', 'plan', 'gate-inputs')
    const r = runScript(run, {
      TFPIPE_ARTIFACT: 'scans',
      TFPIPE_INFRACOST: 'infracost.json',
      TFPIPE_SARIF: 'tfsec.sarif\ncheckov.sarif',
    })
    expect(r.status).toBe(0)
    const temp = r.outputs['infracost-json']!.replace(/\/tfpipe-gate-inputs\/infracost\.json$/, '')
    expect(r.outputs['infracost-json']).toBe(`${temp}/tfpipe-gate-inputs/infracost.json`)
    expect(r.outputs.sarif!.split('\n').filter(Boolean)).toEqual([
      `${temp}/tfpipe-gate-inputs/tfsec.sarif`,
      `${temp}/tfpipe-gate-inputs/checkov.sarif`,
    ])
    const none = runScript(run, { TFPIPE_ARTIFACT: '', TFPIPE_INFRACOST: 'x.json', TFPIPE_SARIF: '' })
    expect(none.outputs['infracost-json']).toBe('')
    expect(none.outputs.sarif).toBe('')
  })
})

describe('drift digest', () => {
  const save = script('terraform-drift', 'drift', 'Save the result for the digest')
  const build = script('terraform-drift', 'digest', 'digest')

  /** Runs the save step for one matrix job and returns the result.json it wrote. */
  function saved(env: Record<string, string>): string {
    const r = runScript(save, env)
    expect(r.status).toBe(0)
    return r.stdout
  }

  function digest(results: string[], expected: number, notifyClean = false, environments = ['prod', 'dev', 'sit']) {
    const temp = mkdtempSync(join(tmpdir(), 'tfpipe-digest-'))
    results.forEach((json, i) => {
      const d = join(temp, 'tfpipe-drift', `tfpipe-drift-${i}`)
      mkdirSync(d, { recursive: true })
      writeFileSync(join(d, 'result.json'), json)
    })
    const r = runScript(build, {
      RUNNER_TEMP: temp,
      TFPIPE_EXPECTED: String(expected),
      TFPIPE_NOTIFY_CLEAN: String(notifyClean),
      TFPIPE_ENVIRONMENTS: JSON.stringify(environments),
      TFPIPE_DIRECTORIES: '["stacks/app"]',
    })
    expect(r.status).toBe(0)
    const perEnvironment = (env: string) => ({
      digest: JSON.parse(readFileSync(join(temp, 'tfpipe-drift-digest', `${env}.json`), 'utf8')) as Record<
        string,
        unknown
      >,
      event: JSON.parse(readFileSync(join(temp, 'tfpipe-drift-digest', `${env}.event.json`), 'utf8')) as string,
    })
    return {
      ...r,
      digest: JSON.parse(readFileSync(r.outputs.file!, 'utf8')) as Record<string, unknown>,
      perEnvironment,
    }
  }

  const drifted = {
    TFPIPE_ENV: 'prod',
    TFPIPE_DIR: 'stacks/app',
    TFPIPE_OUTCOME: 'success',
    TFPIPE_DRIFTED: 'true',
    TFPIPE_DRIFT_COUNT: '2',
    TFPIPE_PENDING_COUNT: '1',
    TFPIPE_STACKS: JSON.stringify([
      { dir: 'stacks/app', status: 'drifted', drift: [{ address: 'aws_s3_bucket.a' }], pending: [] },
    ]),
    TFPIPE_ISSUES: '{"stacks/app": 12}',
    TFPIPE_LOCKS: '[]',
  }
  const clean = {
    ...drifted,
    TFPIPE_ENV: 'dev',
    TFPIPE_DRIFTED: 'false',
    TFPIPE_DRIFT_COUNT: '0',
    TFPIPE_PENDING_COUNT: '0',
    TFPIPE_STACKS: JSON.stringify([{ dir: 'stacks/app', status: 'clean', drift: [], pending: [] }]),
  }

  test('one digest over every environment: stacks labelled, counts summed, drift-detected', () => {
    const d = digest([saved(drifted), saved(clean)], 2)
    expect(d.outputs.event).toBe('drift-detected')
    expect(d.outputs.drifted).toBe('true')
    expect(d.digest.driftCount).toBe(2)
    expect(d.digest.pendingCount).toBe(1)
    expect((d.digest.stacks as { directory: string; status: string }[]).map((s) => [s.directory, s.status])).toEqual([
      ['prod: stacks/app', 'drifted'],
      ['dev: stacks/app', 'clean'],
    ])
    expect(d.summary).toContain('| prod: stacks/app | drifted | 1 | 0 |')
    expect(JSON.parse(d.outputs.summary!)).toEqual(d.digest)
  })

  test('one digest per environment too, for per-environment webhooks: only its own stacks and event', () => {
    const d = digest([saved(drifted), saved(clean)], 2, false, ['prod', 'dev'])
    const prod = d.perEnvironment('prod')
    expect(prod.event).toBe('drift-detected')
    expect((prod.digest.stacks as { directory: string }[]).map((s) => s.directory)).toEqual(['prod: stacks/app'])
    expect(prod.digest.driftCount).toBe(2)
    const dev = d.perEnvironment('dev')
    expect(dev.event).toBe('')
    expect(dev.digest.drifted).toBe(false)
  })

  test('a failed check or a missing result is reported as drift (an error stack), never as clean', () => {
    const failed = saved({
      ...clean,
      TFPIPE_ENV: 'sit',
      TFPIPE_OUTCOME: 'failure',
      TFPIPE_STACKS: '',
      TFPIPE_DRIFTED: '',
    })
    const d = digest([saved(clean), failed], 3, false, ['dev', 'sit', 'prod'])
    expect(d.outputs.event).toBe('drift-detected')
    expect(d.digest.failed).toBe(1)
    expect(d.digest.missing).toBe(1)
    expect(d.digest.stacks as { directory: string; status: string }[]).toContainEqual(
      expect.objectContaining({ directory: 'sit: stacks/app', status: 'error' }),
    )
  })

  test('all clean: no message unless asked; stale locks alone send stale-lock', () => {
    expect(digest([saved(clean)], 1, false, ['dev']).outputs.event).toBe('')
    expect(digest([saved(clean)], 1, true, ['dev']).outputs.event).toBe('drift-resolved')
    const locked = saved({
      ...clean,
      TFPIPE_LOCKS: JSON.stringify([{ dir: 'stacks/app', who: 'ci@runner', operation: 'OperationTypeApply' }]),
    })
    const d = digest([locked], 1, false, ['dev'])
    expect(d.outputs.event).toBe('stale-lock')
    expect(d.digest.staleLocks).toEqual([{ dir: 'stacks/app', who: 'ci@runner', operation: 'OperationTypeApply' }])
  })

  test('artifact names have no slash', () => {
    const r = runScript(script('terraform-drift', 'drift', 'files'), {
      TFPIPE_ENV: 'prod',
      TFPIPE_DIR: 'stacks/app one',
      TFPIPE_VAR_FILE: '',
      TFPIPE_BACKEND_CONFIG: '',
    })
    expect(r.outputs.slug).toBe('prod-stacks-app-one')
  })
})

describe('layers', () => {
  const run = script('terraform-layers', 'changes', 'layers')
  const { repo, git } = tempRepo()
  const write = (path: string, text: string) => {
    mkdirSync(join(repo, path, '..'), { recursive: true })
    writeFileSync(join(repo, path), text)
  }
  git('init', '-q')
  for (const layer of ['foundation', 'platform', 'data "bases"', 'clients']) write(`layers/${layer}/main.tf`, '# 1\n')
  write('modules/net/main.tf', '# 1\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'one')
  const deployed = git('rev-parse', 'HEAD')
  write('layers/platform/main.tf', '# 2\n')
  git('commit', '-qam', 'platform')
  const env = {
    TFPIPE_FORCE_ALL: 'false',
    TFPIPE_BASE: '',
    TFPIPE_FOUNDATION: 'layers/foundation/',
    TFPIPE_PLATFORM: './layers/platform',
    TFPIPE_DATABASES: 'layers/data "bases"',
    TFPIPE_CLIENTS: 'layers/clients',
    TFPIPE_SHARED: 'modules/**\n\n  shared/*.tf  ',
  }
  const tag = (dir: string, sha = deployed, status = 'success') => ({
    tag: `deploy-dev-${dir}`,
    sha,
    status,
    workingDirectory: dir,
  })
  const allDeployed = JSON.stringify([
    tag('layers/foundation'),
    tag('./layers/platform/'),
    tag('layers/data "bases"'),
    tag('layers/clients'),
  ])

  test('a layer changed since its last successful deploy is deployed; an unchanged one is not', () => {
    const r = runScript(run, { ...env, TFPIPE_DEPLOYED: allDeployed }, repo)
    expect(r.status).toBe(0)
    expect(JSON.parse(r.outputs.changed!)).toEqual({
      foundation: false,
      platform: true,
      databases: false,
      clients: false,
    })
    expect(r.summary).toContain('| platform | true |')
    expect(r.stderr).toMatch(/foundation: unchanged since/)
  })

  test('a layer never deployed, or whose last deploy failed, is deployed', () => {
    const deploys = JSON.stringify([
      tag('layers/foundation'),
      tag('layers/platform'),
      tag('layers/data "bases"', deployed, 'failure'),
    ])
    const r = runScript(run, { ...env, TFPIPE_DEPLOYED: deploys }, repo)
    expect(JSON.parse(r.outputs.changed!)).toEqual({
      foundation: false,
      platform: true,
      databases: true,
      clients: true,
    })
    expect(r.stderr).toMatch(/clients: never deployed/)
  })

  test('a shared path changes every layer; force-all and an unknown last deploy deploy everything', () => {
    write('modules/net/main.tf', '# 2\n')
    git('commit', '-qam', 'module')
    const shared = runScript(run, { ...env, TFPIPE_DEPLOYED: allDeployed }, repo)
    expect(JSON.parse(shared.outputs.changed!)).toEqual({
      foundation: true,
      platform: true,
      databases: true,
      clients: true,
    })
    const forced = runScript(run, { ...env, TFPIPE_FORCE_ALL: 'true', TFPIPE_DEPLOYED: '[]' }, repo)
    expect([forced.outputs.foundation, forced.outputs.clients]).toEqual(['true', 'true'])
    const gone = runScript(
      run,
      { ...env, TFPIPE_DEPLOYED: JSON.stringify([tag('layers/foundation', 'f'.repeat(40))]) },
      repo,
    )
    expect(gone.outputs.foundation).toBe('true')
    expect(gone.stderr).toMatch(/not in the history/)
  })
})

describe('one stack, one name (concurrency group and artifact names)', () => {
  test.each([
    ['terraform-apply', 'plan', 'stack'],
    ['terraform-rollback', 'preview', 'request'],
  ])('%s normalises the directory', (wf, jobId, stepId) => {
    const check = script(wf, jobId, stepId)
    const base = {
      TFPIPE_ENV: 'prod',
      TFPIPE_BIN: 'terraform',
      TFPIPE_TAG: 't',
      TFPIPE_VERSION_ID: '',
      TFPIPE_CONFIRMATION: 'rollback-prod',
    }
    const key = (dir: string) => runScript(check, { ...base, TFPIPE_DIR: dir }).outputs.key
    for (const same of ['tf', './tf', 'tf/', './/tf//', 'tf/.']) expect(key(same)).toBe('tf')
    for (const root of ['.', './', '']) expect(key(root)).toBe('root')
    expect(key('stacks/app')).toBe('stacks_app')
    for (const bad of ['../x', '/etc', 'a/../../b']) {
      const r = runScript(check, { ...base, TFPIPE_DIR: bad })
      expect(r.status).toBe(1)
      expect(r.stdout).toMatch(/relative path inside the repository/)
    }
  })
})

describe('rollback preview: the request', () => {
  const check = script('terraform-rollback', 'preview', 'request')
  const base = { TFPIPE_ENV: 'prod', TFPIPE_BIN: 'terraform', TFPIPE_CONFIRMATION: 'rollback-prod', TFPIPE_DIR: '.' }

  test.each([
    ['neither a tag nor a version', { TFPIPE_TAG: '', TFPIPE_VERSION_ID: '' }, /give deployment-tag/],
    ['both a tag and a version', { TFPIPE_TAG: 't', TFPIPE_VERSION_ID: 'v' }, /not both/],
    [
      'a wrong confirmation',
      { TFPIPE_TAG: 't', TFPIPE_VERSION_ID: '', TFPIPE_CONFIRMATION: 'rollback-dev' },
      /rollback-prod/,
    ],
  ])('refuses %s before anyone is asked to approve', (_what, env, message) => {
    const r = runScript(check, { ...base, ...env })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(message)
  })

  test('accepts a tag with the right confirmation', () => {
    expect(runScript(check, { ...base, TFPIPE_TAG: 'deploy-prod-20261101-101010', TFPIPE_VERSION_ID: '' }).status).toBe(
      0,
    )
  })

  describe('resolving the commit to return to', () => {
    const resolveRun = script('terraform-rollback', 'preview', 'target')
    const { repo, git } = tempRepo()
    git('init', '-q')
    git('commit', '-q', '--allow-empty', '-m', 'one')
    const first = git('rev-parse', 'HEAD')
    git('tag', '-a', 'deploy-prod-20261101-101010', '-m', 'deployed')
    git('commit', '-q', '--allow-empty', '-m', 'two')
    const head = git('rev-parse', 'HEAD')
    // The step checks the resolved commit out: every case starts from the branch head.
    beforeEach(() => {
      git('checkout', '-q', head)
    })

    test('a deploy tag resolves to its commit (not the tag object), and is applied', () => {
      const r = runScript(
        resolveRun,
        { TFPIPE_TAG: 'deploy-prod-20261101-101010', TFPIPE_REF: '', TFPIPE_APPLY: 'true' },
        repo,
      )
      expect(r.status).toBe(0)
      expect(r.outputs).toMatchObject({ sha: first, apply: 'true' })
      expect(git('rev-parse', 'HEAD')).toBe(first) // the preview plans the tag's commit
    })

    test('a version id without ref restores state only: the plan of HEAD is shown, not applied', () => {
      const r = runScript(resolveRun, { TFPIPE_TAG: '', TFPIPE_REF: '', TFPIPE_APPLY: 'true' }, repo)
      expect(r.outputs).toMatchObject({ sha: head, apply: 'false' })
      const withRef = runScript(resolveRun, { TFPIPE_TAG: '', TFPIPE_REF: first, TFPIPE_APPLY: 'true' }, repo)
      expect(withRef.outputs).toMatchObject({ sha: first, apply: 'true' })
      const noApply = runScript(
        resolveRun,
        { TFPIPE_TAG: 'deploy-prod-20261101-101010', TFPIPE_REF: '', TFPIPE_APPLY: 'false' },
        repo,
      )
      expect(noApply.outputs.apply).toBe('false')
    })

    test('an unknown tag fails', () => {
      const r = runScript(resolveRun, { TFPIPE_TAG: 'deploy-prod-nope', TFPIPE_REF: '', TFPIPE_APPLY: 'true' }, repo)
      expect(r.status).toBe(1)
      expect(r.stdout).toMatch(/not found/)
    })
  })
})
