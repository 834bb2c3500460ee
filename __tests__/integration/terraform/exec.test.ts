import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { memoryLogger, silentLogger } from '@tfpipe/kit/logger.js'
import { buildPlanModel, terraformPlanLine } from '@tfpipe/terraform/build-model.js'
import { runTerraform, showPlanJson, showPlanText } from '@tfpipe/terraform/exec.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { redactPlan } from '@tfpipe/terraform/sensitive-places.js'
import { copyExample, ensureProviderMirror, terraform, terraformEnv } from '../../support/terraform.js'

const TIMEOUT = 180_000

describe('runTerraform', () => {
  test('runs the real binary and returns exit code and output', async () => {
    const r = await runTerraform('terraform', ['version', '-json'], {
      cwd: tmpdir(),
      env: terraformEnv(),
      logger: silentLogger,
    })
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout).terraform_version).toBe('1.11.4')
  })

  test('a failing command: non-zero exit, stderr collected and streamed to the logger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfpipe-exec-'))
    writeFileSync(join(dir, 'main.tf'), 'resource "terraform_data" "x" {\n  no_such_argument = 1\n}\n')
    const logger = memoryLogger()
    const r = await runTerraform('terraform', ['validate', '-no-color'], { cwd: dir, env: terraformEnv(), logger })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('Unsupported argument')
    expect(logger.lines.some((l) => l.includes('Unsupported argument'))).toBe(true)
    expect(logger.lines[0]).toMatch(/^debug: running terraform validate -no-color in /)
    rmSync(dir, { recursive: true, force: true })
  })

  test('a missing binary is a ConfigurationError that says what to do', async () => {
    const env = { ...terraformEnv(), PATH: '/nonexistent-tfpipe' }
    const run = runTerraform('tofu', ['version'], { cwd: tmpdir(), env, logger: silentLogger })
    await expect(run).rejects.toBeInstanceOf(ConfigurationError)
    await expect(runTerraform('tofu', ['version'], { cwd: tmpdir(), env, logger: silentLogger })).rejects.toThrow(
      "binary 'tofu' not found on PATH; install it (e.g. opentofu/setup-opentofu) or set binary: terraform",
    )
    await expect(runTerraform('terraform', ['version'], { cwd: tmpdir(), env, logger: silentLogger })).rejects.toThrow(
      "binary 'terraform' not found on PATH; install it (e.g. hashicorp/setup-terraform) or set binary: tofu",
    )
  })

  test(
    'streams MBs of stdout intact',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tfpipe-big-'))
      // an 8 MiB output value (8192 zero-padded 1 KiB numbers), read back with `terraform output -raw`
      writeFileSync(
        join(dir, 'main.tf'),
        'output "big" {\n  value = join("", flatten([for i in range(0, 8) : [for j in range(0, 1024) : format("%01024d", i * 1024 + j)]]))\n}\n',
      )
      await terraform(['init', '-no-color'], dir)
      await terraform(['apply', '-auto-approve', '-no-color'], dir)
      const r = await runTerraform('terraform', ['output', '-raw', 'big'], {
        cwd: dir,
        env: terraformEnv(),
        logger: silentLogger,
      })
      expect(r.exitCode).toBe(0)
      expect(r.stdout.length).toBe(8 * 1024 * 1024)
      expect(r.stdout.endsWith('0008191')).toBe(true)
      expect(r.stdout.slice(1024, 2048)).toBe('1'.padStart(1024, '0'))
      rmSync(dir, { recursive: true, force: true })
    },
    TIMEOUT,
  )
})

describe('show a real plan of the demo stack', () => {
  let dir = ''
  beforeAll(async () => {
    dir = copyExample('demo')
    await terraform(['init', '-no-color'], dir)
    await terraform(['plan', '-no-color', '-out=demo.tfplan'], dir)
  }, TIMEOUT)
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('showPlanJson / showPlanText -> model whose plan line matches terraform', async () => {
    const json = await showPlanJson('terraform', 'demo.tfplan', dir, { env: terraformEnv() })
    const text = await showPlanText('terraform', 'demo.tfplan', dir, { env: terraformEnv() })
    // eslint-disable-next-line no-control-regex -- the ESC of an ANSI colour sequence (-no-color)
    expect(text).not.toMatch(/\u001b\[/)
    const model = buildPlanModel(parsePlanJson(json, 'demo.tfplan'))
    const line = text.split('\n').find((l) => l.startsWith('Plan: '))
    expect(terraformPlanLine(model.counts, { terraformVersion: model.terraformVersion })).toBe(line)
    expect(model.counts.add).toBe(6)
    expect(json).toContain('demo-password-change-me')
    expect(JSON.stringify(redactPlan(parsePlanJson(json, 'x')))).not.toContain('demo-password-change-me')
  })

  test('showPlanJson fails clearly on a missing plan file', async () => {
    await expect(showPlanJson('terraform', 'missing.tfplan', dir, { env: terraformEnv() })).rejects.toThrow(
      /terraform show -json missing.tfplan failed with exit code 1/,
    )
  })

  test(
    'parsePlanJson names what was passed instead of plan JSON',
    async () => {
      const binary = readFileSync(join(dir, 'demo.tfplan')).toString('latin1')
      expect(() => parsePlanJson(binary, 'demo.tfplan')).toThrow(
        'demo.tfplan: is a binary plan file (zip), not its JSON',
      )
      await terraform(['apply', '-no-color', 'demo.tfplan'], dir)
      const state = await terraform(['show', '-json'], dir)
      expect(() => parsePlanJson(state.stdout, 'state.json')).toThrow(
        'state.json: is state JSON (`terraform show -json` without a plan file), not a plan; pass the output of `terraform show -json <planfile>` instead',
      )
      const raw = readFileSync(join(dir, 'terraform.tfstate'), 'utf8')
      expect(() => parsePlanJson(raw, 'terraform.tfstate')).toThrow('raw state file')
      const planText = await terraform(['plan', '-no-color', '-var', 'environment=prod'], dir)
      expect(() => parsePlanJson(planText.stdout, 'plan.txt')).toThrow('human-readable `terraform plan` text')
    },
    TIMEOUT,
  )
})

describe('real drift with hashicorp/local from the filesystem mirror', () => {
  test(
    'a file changed outside terraform shows up as resource_drift',
    async () => {
      ensureProviderMirror()
      const dir = copyExample('fixtures/drift/base')
      await terraform(['init', '-no-color'], dir)
      await terraform(['apply', '-auto-approve', '-no-color'], dir)
      writeFileSync(join(dir, 'out/app.conf'), 'listen = 1234\n')
      await terraform(['plan', '-no-color', '-out=d.tfplan'], dir)
      const model = buildPlanModel(
        parsePlanJson(await showPlanJson('terraform', 'd.tfplan', dir, { env: terraformEnv() }), 'd'),
      )
      expect(model.drift.map((d) => d.address)).toEqual(['local_file.app_conf'])
      expect(model.resources.map((r) => [r.address, r.kind])).toEqual([['local_file.app_conf', 'create']])
      rmSync(dir, { recursive: true, force: true })
    },
    TIMEOUT,
  )
})
