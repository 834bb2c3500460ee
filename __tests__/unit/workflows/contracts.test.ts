// Contracts between the reusable workflows, the starter templates and the six actions' action.yml:
// inputs and outputs used exist, references resolve, third-party actions are pinned, no expression
// reaches a shell, permissions are explicit and least, and the apply/rollback jobs never run twice at once.
import { describe, expect, test } from '@jest/globals'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  REUSABLE,
  ROOT,
  actionContracts,
  actionsRef,
  expressions,
  isDict,
  findStep,
  jobNeeds,
  jobSteps,
  ourAction,
  ourWorkflow,
  parsePinnedTable,
  pinnedActionsFile,
  strings,
  templates,
  workflow,
  workflows,
  type Dict,
  type Job,
  type LoadedWorkflow,
  type Step,
  type WorkflowCallInput,
} from '../../support/workflow-files.js'
import { PINNED_STAND_INS } from '../../workflows/support/act.js'

// @ts-expect-error: a plain .mjs script without types
const { PREPARE_OUTPUTS } = (await import('../../../scripts/release.mjs')) as { PREPARE_OUTPUTS: string[] }

const contracts = actionContracts()
const actionNames = new Set(contracts.keys())
const pinned = parsePinnedTable(readFileSync(pinnedActionsFile(), 'utf8'))
const all: LoadedWorkflow[] = [...workflows(), ...templates()]
const byFile = all.map((w) => [w.file, w] as const)

// Third-party outputs the workflows may read (the action's own documented outputs).
const THIRD_PARTY_OUTPUTS: Record<string, string[] | 'any'> = {
  'actions/checkout': ['ref', 'commit'],
  'dorny/paths-filter': 'any', // one output per filter, plus `changes`
  'actions/upload-artifact': ['artifact-id', 'artifact-url', 'artifact-digest'],
  'actions/download-artifact': ['download-path'],
  'aws-actions/configure-aws-credentials': [
    'aws-account-id',
    'aws-access-key-id',
    'aws-secret-access-key',
    'aws-session-token',
  ],
}

// Inputs the pinned third-party releases declare (their action.yml at the pinned tags); actionlint
// cannot check these because the refs are commit SHAs.
const THIRD_PARTY_INPUTS: Record<string, string[]> = {
  'actions/checkout': [
    'repository',
    'ref',
    'token',
    'ssh-key',
    'ssh-known-hosts',
    'ssh-strict',
    'ssh-user',
    'persist-credentials',
    'path',
    'clean',
    'filter',
    'sparse-checkout',
    'sparse-checkout-cone-mode',
    'fetch-depth',
    'fetch-tags',
    'show-progress',
    'lfs',
    'submodules',
    'set-safe-directory',
    'github-server-url',
  ],
  'actions/setup-node': [
    'node-version',
    'node-version-file',
    'architecture',
    'check-latest',
    'registry-url',
    'scope',
    'token',
    'cache',
    'cache-dependency-path',
    'package-manager-cache',
    'mirror',
    'mirror-token',
  ],
  'actions/upload-artifact': [
    'name',
    'path',
    'if-no-files-found',
    'retention-days',
    'compression-level',
    'overwrite',
    'include-hidden-files',
  ],
  'actions/download-artifact': [
    'name',
    'artifact-ids',
    'path',
    'pattern',
    'merge-multiple',
    'github-token',
    'repository',
    'run-id',
  ],
  'hashicorp/setup-terraform': [
    'cli_config_credentials_hostname',
    'cli_config_credentials_token',
    'terraform_version',
    'terraform_wrapper',
  ],
  'opentofu/setup-opentofu': [
    'cli_config_credentials_hostname',
    'cli_config_credentials_token',
    'tofu_version',
    'tofu_version_file',
    'tofu_wrapper',
    'github_token',
  ],
  'aws-actions/configure-aws-credentials': [
    'aws-region',
    'role-to-assume',
    'aws-access-key-id',
    'aws-secret-access-key',
    'aws-session-token',
    'web-identity-token-file',
    'role-chaining',
    'audience',
    'http-proxy',
    'mask-aws-account-id',
    'role-duration-seconds',
    'role-external-id',
    'role-session-name',
    'role-skip-session-tagging',
    'inline-session-policy',
    'managed-session-policies',
    'output-credentials',
    'unset-current-credentials',
    'disable-retry',
    'retry-max-attempts',
    'special-characters-workaround',
  ],
  'dorny/paths-filter': [
    'token',
    'working-directory',
    'ref',
    'base',
    'filters',
    'list-files',
    'initial-fetch-depth',
    'predicate-quantifier',
  ],
}

function onKeys(doc: { on?: unknown }): string[] {
  const on = doc.on
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  return isDict(on) ? Object.keys(on) : []
}

function callSpec(doc: { on?: unknown }): { inputs: Record<string, WorkflowCallInput>; secrets: Dict; outputs: Dict } {
  const on = isDict(doc.on) ? doc.on : {}
  const call = isDict(on.workflow_call) ? on.workflow_call : {}
  return {
    inputs: (isDict(call.inputs) ? call.inputs : {}) as Record<string, WorkflowCallInput>,
    secrets: isDict(call.secrets) ? call.secrets : {},
    outputs: isDict(call.outputs) ? call.outputs : {},
  }
}

function dispatchInputs(doc: { on?: unknown }): Dict {
  const on = isDict(doc.on) ? doc.on : {}
  const d = isDict(on.workflow_dispatch) ? on.workflow_dispatch : {}
  return isDict(d.inputs) ? d.inputs : {}
}

function thirdPartyRepo(uses: string): string {
  return uses.split('@')[0]!.split('/').slice(0, 2).join('/')
}

/** What a run step writes to GITHUB_OUTPUT: `name=` and `name<<DELIM`. */
function runOutputs(script: string): Set<string> {
  const names = new Set<string>()
  for (const m of script.matchAll(/(?:^|[\s"'{])([A-Za-z_][A-Za-z0-9_-]*)(?:=|<<)/gm)) names.add(m[1]!)
  return names
}

function stepOutputExists(step: Step, output: string | undefined): boolean {
  if (output === undefined) return true
  const action = ourAction(step.uses, actionNames)
  if (action) return output in contracts.get(action)!.outputs
  if (step.run !== undefined) {
    return (
      runOutputs(step.run).has(output) ||
      (/scripts\/release\.mjs prepare\b/.test(step.run) && PREPARE_OUTPUTS.includes(output))
    )
  }
  if (step.uses) {
    const known = THIRD_PARTY_OUTPUTS[thirdPartyRepo(step.uses)]
    return known === 'any' || (known?.includes(output) ?? false)
  }
  return false
}

/** Declared outputs of a job: `outputs:` or, for a reusable-workflow call, the called workflow's. */
function jobOutputs(job: Job): string[] {
  const called = ourWorkflow(job.uses)
  if (called) return Object.keys(callSpec(workflow(called).doc).outputs)
  return Object.keys(job.outputs ?? {})
}

const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 }

function permissionsOf(job: Job): Record<string, string> {
  if (isDict(job.permissions)) return job.permissions as Record<string, string>
  if (job.permissions === 'write-all') throw new Error('write-all is never needed')
  return {}
}

describe.each(byFile)('%s', (_file, wf) => {
  const jobs = Object.entries(wf.doc.jobs ?? {})

  test('has jobs', () => {
    expect(jobs.length).toBeGreaterThan(0)
  })

  test('permissions: {} at the top; every job declares its own', () => {
    expect(wf.doc.permissions).toEqual({})
    for (const [id, job] of jobs) {
      expect([id, isDict(job.permissions)]).toEqual([id, true])
    }
  })

  test('no ${{ }} expression inside any run: script', () => {
    const offenders = jobs.flatMap(([id, job]) =>
      jobSteps(job)
        .filter((s) => typeof s.run === 'string' && s.run.includes('${{'))
        .map((s) => `${id}/${s.id ?? s.name}`),
    )
    expect(offenders).toEqual([])
  })

  test('job needs name existing jobs, and needs.<job> references are needed and declared', () => {
    const problems: string[] = []
    for (const [id, job] of jobs) {
      const needs = jobNeeds(job)
      for (const n of needs) if (!wf.doc.jobs[n]) problems.push(`${id}: needs unknown job ${n}`)
      const values = [...strings(job.if === undefined ? {} : { if: job.if }), ...strings({ ...job, if: undefined })]
      for (const { path, value } of values) {
        for (const expr of expressions(value, path === 'if' || path.endsWith('.if'))) {
          for (const m of expr.matchAll(
            /(?<![\w.-])needs\.([A-Za-z0-9_-]+)\.(outputs|result)(?:\.([A-Za-z0-9_-]+))?/g,
          )) {
            const [, target, kind, output] = m
            if (!needs.includes(target!))
              problems.push(`${id}.${path}: needs.${target} but ${id} does not need ${target}`)
            const targetJob = wf.doc.jobs[target!]
            if (kind === 'outputs' && output && targetJob && !jobOutputs(targetJob).includes(output)) {
              problems.push(`${id}.${path}: needs.${target}.outputs.${output} is not an output of ${target}`)
            }
          }
        }
      }
    }
    expect(problems).toEqual([])
  })

  test('steps.<id> references name an earlier step and a declared output', () => {
    const problems: string[] = []
    for (const [jobId, job] of jobs) {
      const steps = jobSteps(job)
      const ids = steps.map((s) => s.id)
      const check = (where: string, value: string, isCondition: boolean, before: number) => {
        for (const expr of expressions(value, isCondition)) {
          for (const m of expr.matchAll(
            /(?<![\w.-])steps\.([A-Za-z0-9_-]+)\.(outputs|outcome|conclusion)(?:\.([A-Za-z0-9_-]+))?/g,
          )) {
            const [, stepId, kind, output] = m
            const index = ids.indexOf(stepId)
            if (index < 0 || index >= before) {
              problems.push(`${jobId}.${where}: steps.${stepId} is not an earlier step`)
              continue
            }
            if (kind === 'outputs' && !stepOutputExists(steps[index]!, output)) {
              problems.push(`${jobId}.${where}: steps.${stepId}.outputs.${output} is not an output of that step`)
            }
          }
        }
      }
      steps.forEach((step, i) => {
        const where = `steps[${i}](${step.id ?? step.name})`
        for (const { path, value } of strings(step)) check(`${where}.${path}`, value, path === 'if', i)
      })
      // Job outputs and the environment URL are evaluated after the steps.
      for (const { path, value } of strings({ outputs: job.outputs, environment: job.environment })) {
        check(path, value, false, steps.length)
      }
      // Nothing else at job level can see steps.
      for (const { path, value } of strings({
        env: job.env,
        if: job.if,
        strategy: job.strategy,
        concurrency: job.concurrency,
      })) {
        if (/\bsteps\./.test(value)) problems.push(`${jobId}.${path}: steps is not available here`)
      }
    }
    expect(problems).toEqual([])
  })

  test('inputs.<name> and secrets.<NAME> references are declared', () => {
    const declared = new Set([...Object.keys(callSpec(wf.doc).inputs), ...Object.keys(dispatchInputs(wf.doc))])
    const reusable = onKeys(wf.doc).includes('workflow_call')
    const secrets = new Set([...Object.keys(callSpec(wf.doc).secrets), 'GITHUB_TOKEN'])
    const problems: string[] = []
    for (const { path, value } of strings({
      jobs: wf.doc.jobs,
      concurrency: wf.doc.concurrency,
      on: callSpec(wf.doc).outputs,
    })) {
      for (const expr of expressions(value, path.endsWith('.if'))) {
        for (const m of expr.matchAll(/(?<![\w.-])inputs\.([A-Za-z0-9_-]+)/g)) {
          if (!declared.has(m[1]!)) problems.push(`${path}: inputs.${m[1]} is not declared`)
        }
        if (reusable) {
          for (const m of expr.matchAll(/(?<![\w.-])secrets\.([A-Za-z0-9_-]+)/g)) {
            if (!secrets.has(m[1]!)) problems.push(`${path}: secrets.${m[1]} is not declared`)
          }
        }
      }
    }
    expect(problems).toEqual([])
  })

  test("steps using this repository's actions pass only declared inputs and every required one", () => {
    const problems: string[] = []
    let count = 0
    for (const [jobId, job] of jobs) {
      for (const step of jobSteps(job)) {
        if (step.uses?.startsWith('./'))
          problems.push(`${jobId}: ${step.uses} would resolve in the caller's repository`)
        const action = ourAction(step.uses, actionNames)
        if (!action) continue
        count++
        const contract = contracts.get(action)!
        const given = Object.keys(step.with ?? {})
        for (const input of given) {
          if (!(input in contract.inputs))
            problems.push(`${jobId}/${step.id ?? step.name}: ${action} has no input ${input}`)
        }
        for (const [input, spec] of Object.entries(contract.inputs)) {
          if (spec.required === true && spec.default === undefined && !given.includes(input)) {
            problems.push(`${jobId}/${step.id ?? step.name}: ${action} needs input ${input}`)
          }
        }
      }
    }
    expect(problems).toEqual([])
    if (REUSABLE.some((n) => wf.file === `.github/workflows/${n}.yml`) && !wf.file.endsWith('terraform-layers.yml')) {
      expect(count).toBeGreaterThan(0)
    }
  })

  test('our actions and workflows are referenced with the owner/repo@ref of .github/actions-ref', () => {
    const { repo, ref } = actionsRef()
    const uses = jobs
      .flatMap(([, job]) => [job.uses, ...jobSteps(job).map((s) => s.uses)])
      .filter((u): u is string => !!u)
    for (const u of uses) {
      const action = ourAction(u, actionNames)
      if (action) expect(u).toBe(`${repo}/actions/${action}@${ref}`)
      const called = ourWorkflow(u)
      if (called) expect(u).toBe(`${repo}/.github/workflows/${called}.yml@${ref}`)
    }
  })

  test('every third-party action is pinned to a full SHA from pinned-actions.md, tag in a comment', () => {
    const problems: string[] = []
    const lines = wf.text.split('\n')
    lines.forEach((line, i) => {
      const m = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/.exec(line)
      if (!m) return
      const [, uses, comment] = m
      if (ourAction(uses, actionNames) || ourWorkflow(uses)) return
      const pin = /^([^@]+)@([0-9a-f]{40})$/.exec(uses!)
      if (!pin) {
        problems.push(`line ${i + 1}: ${uses} is not pinned to a 40-hex commit SHA`)
        return
      }
      const repo = thirdPartyRepo(uses!)
      const row = pinned.find((r) => r.action === repo && r.sha === pin[2])
      if (!row) problems.push(`line ${i + 1}: ${uses} is not a SHA listed in pinned-actions.md`)
      else if ((comment ?? '').trim() !== row.tag)
        problems.push(`line ${i + 1}: ${uses} needs the comment "# ${row.tag}"`)
    })
    expect(problems).toEqual([])
  })

  test('third-party steps pass only inputs their pinned release declares', () => {
    const problems: string[] = []
    for (const [id, job] of jobs) {
      for (const step of jobSteps(job)) {
        if (!step.uses || ourAction(step.uses, actionNames)) continue
        const known = THIRD_PARTY_INPUTS[thirdPartyRepo(step.uses)]
        if (!known) {
          problems.push(`${id}: no input list for ${step.uses} in this test`)
          continue
        }
        for (const k of Object.keys(step.with ?? {})) {
          if (!known.includes(k))
            problems.push(`${id}/${step.id ?? step.name}: ${thirdPartyRepo(step.uses)} has no input ${k}`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  test('checkout never persists the token; terraform/tofu wrappers are off', () => {
    for (const [, job] of jobs) {
      for (const step of jobSteps(job)) {
        const repo = step.uses ? thirdPartyRepo(step.uses) : ''
        if (repo === 'actions/checkout') expect(String(step.with?.['persist-credentials'])).toBe('false')
        if (repo === 'hashicorp/setup-terraform') expect(String(step.with?.terraform_wrapper)).toBe('false')
        if (repo === 'opentofu/setup-opentofu') expect(String(step.with?.tofu_wrapper)).toBe('false')
      }
    }
  })

  test('id-token: write exactly where AWS credentials are assumed', () => {
    for (const [id, job] of jobs) {
      if (job.uses) continue // a call grants what the called jobs use; checked against them below
      const assumes = jobSteps(job).some(
        (s) => s.uses && thirdPartyRepo(s.uses) === 'aws-actions/configure-aws-credentials',
      )
      expect([id, permissionsOf(job)['id-token'] === 'write']).toEqual([id, assumes])
    }
  })

  test('calls of our reusable workflows: declared inputs, required inputs, declared secrets, enough permissions', () => {
    const problems: string[] = []
    for (const [id, job] of jobs) {
      if (!job.uses) continue
      const called = ourWorkflow(job.uses)
      if (!called) {
        problems.push(`${id}: ${job.uses} is not one of this repository's workflows`)
        continue
      }
      const target = workflow(called)
      const spec = callSpec(target.doc)
      const given = Object.keys(job.with ?? {})
      for (const k of given) if (!(k in spec.inputs)) problems.push(`${id}: ${called} has no input ${k}`)
      for (const [k, v] of Object.entries(spec.inputs)) {
        if (v.required === true && !given.includes(k)) problems.push(`${id}: ${called} needs input ${k}`)
      }
      if (job.secrets === 'inherit') problems.push(`${id}: pass secrets by name, not inherit`)
      for (const k of Object.keys(isDict(job.secrets) ? job.secrets : {})) {
        if (!(k in spec.secrets)) problems.push(`${id}: ${called} has no secret ${k}`)
      }
      const granted = permissionsOf(job)
      for (const [calledId, calledJob] of Object.entries(target.doc.jobs)) {
        for (const [scope, level] of Object.entries(permissionsOf(calledJob))) {
          if ((LEVEL[granted[scope] ?? 'none'] ?? 0) < (LEVEL[level] ?? 0)) {
            problems.push(
              `${id}: ${called}/${calledId} needs ${scope}: ${level}, the call grants ${granted[scope] ?? 'none'}`,
            )
          }
        }
      }
    }
    expect(problems).toEqual([])
  })
})

describe('reusable workflows', () => {
  test('all six exist, directly in .github/workflows, triggered only by workflow_call', () => {
    for (const name of REUSABLE) {
      const wf = workflow(name)
      expect([name, onKeys(wf.doc)]).toEqual([name, ['workflow_call']])
    }
    const dir = join(ROOT, '.github/workflows')
    const nested = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory())
    expect(nested).toEqual([])
    // Every workflow_call workflow is one of the six (no stray reusable workflow elsewhere).
    const callable = workflows()
      .filter((w) => onKeys(w.doc).includes('workflow_call'))
      .map((w) => w.file)
    expect(callable.sort()).toEqual(REUSABLE.map((n) => `.github/workflows/${n}.yml`).sort())
  })

  test('jobs that write state (apply, rollback) share one concurrency group per environment and normalised stack, never cancelled', () => {
    const groups: string[] = []
    const normalisers: string[] = []
    for (const [name, first, step] of [
      ['terraform-apply', 'plan', 'stack'],
      ['terraform-rollback', 'preview', 'request'],
    ] as const) {
      const wf = workflow(name)
      const writers = Object.entries(wf.doc.jobs).filter(([, j]) => j.environment !== undefined)
      expect(writers.length).toBe(1)
      for (const [, job] of writers) {
        expect(isDict(job.concurrency)).toBe(true)
        const c = job.concurrency as { group: string; 'cancel-in-progress': unknown }
        expect(c['cancel-in-progress']).toBe(false)
        expect(c.group).toContain('inputs.environment')
        // the stack name the first job computed, not the raw input (tf, ./tf and tf/ are one stack)
        expect(c.group).toContain(`needs.${first}.outputs.stack`)
        expect(c.group).not.toContain('inputs.working-directory')
        groups.push(c.group.replace(`needs.${first}.outputs.stack`, 'STACK'))
      }
      const run = findStep(wf.doc.jobs[first]!, step).run ?? ''
      normalisers.push(run.slice(run.indexOf('dir="$(sed'), run.indexOf('echo "key=')))
      // Nothing cancels a run in progress at workflow level either.
      const top = wf.doc.concurrency
      if (isDict(top)) expect(top['cancel-in-progress']).not.toBe(true)
    }
    expect(new Set(groups).size).toBe(1)
    // one rule for the stack name in both workflows
    expect(normalisers[0]!.length).toBeGreaterThan(100)
    expect(normalisers[1]).toBe(normalisers[0])
  })

  test('apply: plan, summary and gate on that plan BEFORE the approval; after it, exactly the saved plan applied', () => {
    const { doc } = workflow('terraform-apply')
    const planJob = doc.jobs.plan!
    const deploy = doc.jobs.deploy!
    expect(planJob.environment).toBeUndefined()
    const pre = jobSteps(planJob)
    const at = (steps: Step[], pred: (s: Step) => boolean): number => steps.findIndex(pred)
    const plan = at(pre, (s) => s.run?.includes('-out=tfplan') === true)
    const report = at(pre, (s) => ourAction(s.uses, actionNames) === 'plan-and-comment')
    const gate = at(pre, (s) => ourAction(s.uses, actionNames) === 'safety-gate')
    const upload = at(pre, (s) => s.uses !== undefined && thirdPartyRepo(s.uses) === 'actions/upload-artifact')
    const ask = at(pre, (s) => s.with?.event === 'approval-required')
    expect([plan, report, gate, upload, ask].every((i) => i >= 0)).toBe(true)
    expect(plan < report && report < gate && gate < upload && upload < ask).toBe(true)
    expect(pre[gate]!.with).toMatchObject({
      'plan-file': 'tfplan',
      sha: '${{ steps.checkout.outputs.commit }}',
      confirmation: '${{ inputs.confirmation }}',
      'change-ticket': '${{ inputs.change-ticket }}',
    })
    expect(pre[upload]!.with?.['retention-days']).toBe('${{ inputs.saved-plan-retention-days }}')
    expect(callSpec(doc).inputs['saved-plan-retention-days']?.default).toBe(3)
    expect(String(pre[ask]!.if)).toContain('!inputs.dry-run')

    expect(jobNeeds(deploy)).toEqual(['plan'])
    expect(String(deploy.if)).toContain("needs.plan.outputs.allowed == 'true'")
    expect(String(deploy.if)).toContain('!inputs.dry-run')
    expect(deploy.environment).toMatchObject({ name: '${{ inputs.environment }}' })
    const steps = jobSteps(deploy)
    const checkout = steps.find((s) => s.uses !== undefined && thirdPartyRepo(s.uses) === 'actions/checkout')!
    expect(checkout.with?.ref).toBe('${{ needs.plan.outputs.sha }}')
    const download = at(steps, (s) => s.uses !== undefined && thirdPartyRepo(s.uses) === 'actions/download-artifact')
    const digest = at(steps, (s) => s.run?.includes('TFPIPE_DIGEST') === true)
    const again = at(steps, (s) => ourAction(s.uses, actionNames) === 'safety-gate')
    const apply = at(steps, (s) => /apply\b[^\n]*\btfplan\b/.test(s.run ?? ''))
    const tag = at(steps, (s) => ourAction(s.uses, actionNames) === 'tag-deploy' && s.with?.status === 'success')
    const ok = at(steps, (s) => s.with?.event === 'deploy-succeeded')
    const failed = at(steps, (s) => s.with?.event === 'deploy-failed')
    expect([download, digest, again, apply, tag, ok, failed].every((i) => i >= 0)).toBe(true)
    expect(download < digest && digest < again && again < apply && apply < tag && tag < ok).toBe(true)
    expect(steps[again]!.with?.['expected-fingerprint']).toBe('${{ needs.plan.outputs.fingerprint }}')
    expect(String(steps[ok]!.if)).toMatch(/^success\(\)/)
    expect(String(steps[failed]!.if)).toMatch(/^failure\(\)/)
    // No plan after the approval: the deploy job never runs `terraform plan` — except the automatic rollback
    // (policy verification.auto-rollback), which plans the last verified commit only after its state was restored.
    const rollback = steps.filter(
      (s) => s.id?.startsWith('rb-') || (typeof s.if === 'string' && s.if.includes('steps.rb-')),
    )
    expect(
      steps
        .filter((s) => !rollback.includes(s))
        .some((s) => /"\$TFPIPE_BIN" plan|\bplan -input/.test(s.run ?? '') || (s.run ?? '').includes('-out=tfplan')),
    ).toBe(false)
    const restore = at(steps, (s) => s.id === 'rb-restore')
    expect(restore).toBeGreaterThan(tag)
    expect(String(steps[restore]!.if)).toContain(
      "steps.verify.outputs.result == 'failed' && steps.gate.outputs.auto-rollback == 'true'",
    )
    expect(steps.filter((s) => s.id === 'rb-apply').map((s) => s.if)).toEqual(["steps.rb-restore.outcome == 'success'"])
    // Plan role in the plan job, apply role in the deploy job.
    expect(String(planJob.env?.TFPIPE_AWS_ROLE)).toContain('inputs.plan-roles')
    expect(String(planJob.env?.TFPIPE_AWS_ROLE)).not.toContain('aws-roles')
    expect(String(deploy.env?.TFPIPE_AWS_ROLE)).toContain('inputs.aws-roles')
  })

  test('rollback: the approvers see the plan against the state as restored; then exactly that version is restored and applied', () => {
    const { doc } = workflow('terraform-rollback')
    const preview = doc.jobs.preview!
    const job = doc.jobs.rollback!
    expect(preview.environment).toBeUndefined()
    expect(job.environment).toMatchObject({ name: '${{ inputs.environment }}' })
    const pre = jobSteps(preview)
    const dry = pre.find((s) => ourAction(s.uses, actionNames) === 'rollback-state')!
    expect(dry.with?.['dry-run']).toBe('true')
    expect(dry.with?.confirmation).toBeUndefined()
    expect(dry.with?.['preview-state-file']).toBeDefined()
    const preGate = pre.find((s) => ourAction(s.uses, actionNames) === 'safety-gate')!
    expect(preGate.with?.operation).toBe('rollback')
    expect(pre.indexOf(preGate)).toBeGreaterThan(pre.indexOf(dry))
    expect(pre.findIndex((s) => s.with?.event === 'approval-required')).toBeGreaterThan(pre.indexOf(preGate))

    const steps = jobSteps(job)
    const rb = steps.filter((s) => ourAction(s.uses, actionNames) === 'rollback-state')
    expect(rb[0]!.with).toMatchObject({
      'dry-run': 'false',
      'version-id': '${{ needs.preview.outputs.version-id }}',
      confirmation: '${{ inputs.confirmation }}',
    })
    const idx = (s: Step | undefined): number => (s ? steps.indexOf(s) : -1)
    const write = idx(rb[0])
    const plan = idx(steps.find((s) => s.run?.includes('-out=tfplan')))
    const gate = idx(steps.find((s) => ourAction(s.uses, actionNames) === 'safety-gate'))
    const apply = idx(steps.find((s) => /apply\b[^\n]*\btfplan\b/.test(s.run ?? '')))
    const tag = idx(steps.find((s) => ourAction(s.uses, actionNames) === 'tag-deploy' && s.with?.status === 'success'))
    expect(write < plan && plan < gate && gate < apply && apply < tag).toBe(true)
    expect(steps[gate]!.with?.['expected-fingerprint']).toBe('${{ needs.preview.outputs.fingerprint }}')
    const checkout = steps.find((s) => s.uses && thirdPartyRepo(s.uses) === 'actions/checkout')!
    expect(checkout.with?.ref).toBe('${{ needs.preview.outputs.sha }}')
    expect(
      steps.some(
        (s) =>
          ourAction(s.uses, actionNames) === 'tag-deploy' &&
          s.with?.status === 'failure' &&
          String(s.if).startsWith('failure()'),
      ),
    ).toBe(true)
    expect(steps.some((s) => s.with?.event === 'rollback-succeeded')).toBe(true)
    expect(steps.some((s) => s.with?.event === 'rollback-failed' && String(s.if).startsWith('failure()'))).toBe(true)
  })

  test('plan: fmt -check and validate first, then a plan per environment with a 30-day artifact', () => {
    const { doc } = workflow('terraform-plan')
    const spec = callSpec(doc)
    expect(spec.inputs.environments?.default).toBe('dev,sit,prod')
    expect(spec.inputs['retention-days']?.default).toBe(30)
    const check = doc.jobs.check!
    const runs = jobSteps(check)
      .map((s) => s.run ?? '')
      .join('\n')
    expect(runs).toMatch(/fmt -check/)
    expect(runs).toMatch(/validate/)
    const plan = doc.jobs.plan!
    expect(jobNeeds(plan)).toEqual(['check'])
    const matrix = (plan.strategy?.matrix ?? {}) as Dict
    expect(Object.keys(matrix).sort()).toEqual(['directory', 'environment'])
    const comment = jobSteps(plan).find((s) => ourAction(s.uses, actionNames) === 'plan-and-comment')!
    expect(comment.with?.['retention-days']).toBe('${{ inputs.retention-days }}')
    expect(comment.with?.environment).toBe('${{ matrix.environment }}')
    expect(permissionsOf(plan)['pull-requests']).toBe('write')
  })

  test('drift: a matrix of checks, one Slack digest after all of them, and one per environment', () => {
    const { doc, text } = workflow('terraform-drift')
    const drift = doc.jobs.drift!
    expect(Object.keys((drift.strategy?.matrix ?? {}) as Dict).sort()).toEqual(['directory', 'environment'])
    expect(jobSteps(drift).some((s) => ourAction(s.uses, actionNames) === 'drift-check')).toBe(true)
    const slack = Object.entries(doc.jobs).flatMap(([id, j]) =>
      jobSteps(j)
        .filter((s) => ourAction(s.uses, actionNames) === 'notify-slack')
        .map(() => id),
    )
    expect(slack).toEqual(['digest', 'notify-environments'])
    const perEnv = jobSteps(doc.jobs['notify-environments']!).find(
      (s) => ourAction(s.uses, actionNames) === 'notify-slack',
    )!
    expect(perEnv.with).toMatchObject({
      webhooks: '${{ secrets.SLACK_WEBHOOKS }}',
      environment: '${{ matrix.environment }}',
      required: 'false',
    })
    expect(perEnv.with?.['webhook-url']).toBeUndefined()
    const digest = doc.jobs.digest!
    expect(jobNeeds(digest)).toContain('drift')
    expect(String(digest.if)).toMatch(/^always\(\)/)
    const upload = jobSteps(drift).find((s) => s.uses && thirdPartyRepo(s.uses) === 'actions/upload-artifact')!
    const download = jobSteps(digest).find((s) => s.uses && thirdPartyRepo(s.uses) === 'actions/download-artifact')!
    const prefix = String(download.with?.pattern).replace(/\*$/, '')
    expect(String(upload.with?.name).startsWith(prefix)).toBe(true)
    expect(String(upload.if)).toBe('always()')
    expect(text).not.toMatch(/fail-on-drift:\s*"?true/)
  })

  test('layers: each layer compared with its last successful deploy, deployed foundation -> platform -> databases -> clients', () => {
    const { doc } = workflow('terraform-layers')
    const changes = doc.jobs.changes!
    const list = jobSteps(changes).find((s) => ourAction(s.uses, actionNames) === 'tag-deploy')!
    expect(list.with?.mode).toBe('list')
    expect(jobSteps(changes).find((s) => s.id === 'layers')!.env?.TFPIPE_DEPLOYED).toBe(
      '${{ steps.deployed.outputs.deployments }}',
    )
    const layers = ['foundation', 'platform', 'databases', 'clients']
    layers.forEach((layer, i) => {
      const job = doc.jobs[layer]!
      expect(jobNeeds(job).sort()).toEqual(['changes', ...layers.slice(0, i)].sort())
      const cond = String(job.if)
      expect(cond).toMatch(/^always\(\) && /)
      expect(cond).toContain(`needs.changes.outputs.${layer} == 'true'`)
      if (i > 0) {
        expect(cond).toContain("!contains(needs.*.result, 'failure')")
        expect(cond).toContain("!contains(needs.*.result, 'cancelled')")
      }
      expect(ourWorkflow(job.uses)).toBe('terraform-apply')
      expect(job.with?.['working-directory']).toBe(`\${{ inputs.${layer}-directory }}`)
      expect(job.with?.environment).toBe('${{ inputs.environment }}')
      // every input of terraform-apply.yml that layers also takes is forwarded
      for (const input of [
        'lock-timeout',
        'retention-days',
        'saved-plan-retention-days',
        'slack-required-environments',
        'gate-artifact',
        'infracost-json',
        'sarif',
        'plan-roles',
        'now',
      ]) {
        expect(job.with?.[input]).toBe(`\${{ inputs.${input} }}`)
      }
      expect(changes.outputs?.[layer]).toBeDefined()
    })
  })

  test('every job takes its runner from the runs-on input (callers choose runners)', () => {
    for (const name of REUSABLE) {
      for (const [id, job] of Object.entries(workflow(name).doc.jobs)) {
        if (job.uses) continue
        expect([name, id, job['runs-on']]).toEqual([name, id, '${{ inputs.runs-on }}'])
      }
    }
  })
})

describe("this repository's CI workflow", () => {
  test('runs on push and pull request: npm ci, the lock check, setup scripts, typecheck, workflow lint, check-dist, tests', () => {
    const { doc } = workflow('ci')
    expect(onKeys(doc).sort()).toEqual(['pull_request', 'push'])
    const runs = Object.values(doc.jobs).flatMap((j) => jobSteps(j).map((s) => s.run ?? ''))
    const order = [
      'npm ci --no-audit',
      'scripts/check-lock.sh',
      'npm run setup',
      'npm run typecheck',
      'scripts/lint-workflows.sh',
      'npm run check-dist',
      'npm test',
    ]
    const positions = order.map((cmd) => runs.findIndex((r) => r.includes(cmd)))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
  })
})

describe('pinned-actions table', () => {
  test('docs/pinned-actions.md parses to one SHA per action and tag, and pins every action act has a stand-in for', () => {
    expect(pinned.length).toBeGreaterThanOrEqual(8)
    const shaOf = new Map<string, string>()
    for (const r of pinned) {
      expect([`${r.action}@${r.tag}`, shaOf.get(`${r.action}@${r.tag}`) ?? r.sha]).toEqual([
        `${r.action}@${r.tag}`,
        r.sha,
      ])
      shaOf.set(`${r.action}@${r.tag}`, r.sha)
    }
    const listed = new Set(pinned.map((r) => `${r.action}@${r.sha}`))
    expect(Object.keys(PINNED_STAND_INS).filter((uses) => !listed.has(uses))).toEqual([])
  })
})
