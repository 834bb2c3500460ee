import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMoto, type MotoServer } from '../../support/moto.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import {
  backendConfigFromSettings,
  describeBackend,
  readBackendConfig,
  statePathFor,
} from '@tfpipe/state/backend-config.js'
import { createStateClients } from '@tfpipe/state/clients.js'
import { currentStateVersion } from '@tfpipe/state/current.js'
import { listStateVersions } from '@tfpipe/state/versions.js'
import { runTerraform, stateFixture, type StateFixture } from '../../support/state-fixture.js'

let moto: MotoServer
let fx: StateFixture

beforeAll(async () => {
  moto = await startMoto()
  fx = await stateFixture(moto, { lockfile: true, dynamodb: true, workspaceKeyPrefix: 'stacks' })
}, 120_000)

afterAll(async () => {
  await moto?.close()
})

describe('readBackendConfig on directories initialised by real terraform', () => {
  test('default workspace: bucket, key, region, table, lockfile, endpoints, path style, state path = key', () => {
    const c = readBackendConfig(fx.dir)
    expect(c).toMatchObject({
      bucket: fx.bucket,
      key: fx.key,
      region: 'us-east-1',
      workspace: 'default',
      workspaceKeyPrefix: 'stacks',
      statePath: fx.key,
      dynamodbTable: fx.table,
      useLockfile: true,
      endpoints: { s3: moto.endpoint, dynamodb: moto.endpoint },
      usePathStyle: true,
      source: 'working-directory',
    })
    expect(c.credentials).toEqual({ accessKeyId: 'test', secretAccessKey: 'test' })
    expect(describeBackend(c)).not.toContain('test')
  })

  test('a selected workspace (.terraform/environment) and TF_WORKSPACE find the state terraform writes', async () => {
    const created = await fx.tf(['workspace', 'new', '-no-color', 'blue'])
    expect(created.code).toBe(0)
    await fx.apply(5)
    const c = readBackendConfig(fx.dir)
    expect(c.workspace).toBe('blue')
    expect(c.statePath).toBe(`stacks/blue/${fx.key}`)
    const clients = createStateClients(c)
    try {
      // The object terraform just wrote is exactly where we look.
      expect((await currentStateVersion(c, clients))?.serial).toBeGreaterThanOrEqual(1)
      // `workspace new` writes an empty state, the apply a second version.
      expect(await listStateVersions(c, clients)).toHaveLength(2)
      // TF_WORKSPACE (passed in) wins over the selected one; an explicit override wins over both.
      expect(readBackendConfig(fx.dir, { workspace: 'green' }).statePath).toBe(`stacks/green/${fx.key}`)
      expect(readBackendConfig(fx.dir, { workspace: 'green', overrides: { workspace: 'default' } }).statePath).toBe(
        fx.key,
      )
      const defaultState = readBackendConfig(fx.dir, { overrides: { workspace: 'default' } })
      expect(await currentStateVersion(defaultState, clients)).toBeNull()
    } finally {
      clients.destroy()
      await fx.tf(['workspace', 'select', '-no-color', 'default'])
    }
  }, 60_000)

  test('explicit overrides win field by field', () => {
    const c = readBackendConfig(fx.dir, {
      overrides: { bucket: 'other', dynamodbTable: 'locks2', useLockfile: false, endpoint: 'http://127.0.0.1:1' },
    })
    expect(c).toMatchObject({
      bucket: 'other',
      key: fx.key,
      dynamodbTable: 'locks2',
      useLockfile: false,
      endpoints: { s3: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:1' },
    })
  })

  test('a local-backend directory and an uninitialised one are clear configuration errors', async () => {
    const local = mkdtempSync(join(tmpdir(), 'tfpipe-local-'))
    writeFileSync(join(local, 'main.tf'), 'terraform {\n  backend "local" {}\n}\nresource "terraform_data" "x" {}\n')
    const init = await runTerraform(local, { ...fx.env, TF_CLI_CONFIG_FILE: join(fx.dir, '.terraformrc') }, [
      'init',
      '-no-color',
      '-input=false',
    ])
    expect(init.code).toBe(0)
    expect(() => readBackendConfig(local)).toThrow(ConfigurationError)
    expect(() => readBackendConfig(local)).toThrow('uses the "local" backend; only the "s3" backend is supported.')
    const empty = mkdtempSync(join(tmpdir(), 'tfpipe-empty-'))
    expect(() => readBackendConfig(empty)).toThrow(/terraform\.tfstate does not exist: run 'terraform init'/)
  }, 60_000)

  test('legacy settings (endpoint, dynamodb_endpoint, force_path_style) and TF_DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfpipe-legacy-'))
    mkdirSync(join(dir, 'data'))
    writeFileSync(
      join(dir, 'data', 'terraform.tfstate'),
      JSON.stringify({
        version: 3,
        backend: {
          type: 's3',
          config: {
            bucket: 'b1',
            key: 'k/terraform.tfstate',
            region: 'eu-west-1',
            endpoint: 'http://s3.local',
            dynamodb_endpoint: 'http://ddb.local',
            force_path_style: true,
            dynamodb_table: 't',
            workspace_key_prefix: null,
            encrypt: true,
          },
        },
      }),
    )
    writeFileSync(join(dir, 'data', 'environment'), 'qa\n')
    const c = readBackendConfig(dir, { dataDir: 'data' })
    expect(c).toMatchObject({
      endpoints: { s3: 'http://s3.local', dynamodb: 'http://ddb.local' },
      usePathStyle: true,
      useLockfile: false,
      encrypt: true,
      workspace: 'qa',
      statePath: 'env:/qa/k/terraform.tfstate',
    })
    expect(c.credentials).toBeUndefined()
  })
})

describe('explicit settings', () => {
  test('statePathFor: key for default, <prefix>/<ws>/<key> otherwise', () => {
    expect(statePathFor('a/b.tfstate', 'default', 'env:')).toBe('a/b.tfstate')
    expect(statePathFor('a/b.tfstate', 'prod', 'env:')).toBe('env:/prod/a/b.tfstate')
    expect(statePathFor('a/b.tfstate', 'prod', '')).toBe('prod/a/b.tfstate')
  })

  test('backendConfigFromSettings requires bucket, key and region and validates the workspace', () => {
    expect(() => backendConfigFromSettings({ key: 'k', region: 'r' })).toThrow("No state bucket: set 'bucket'")
    expect(() => backendConfigFromSettings({ bucket: 'b', region: 'r' })).toThrow("No state key: set 'key'")
    expect(() => backendConfigFromSettings({ bucket: 'b', key: 'k' })).toThrow("No AWS region: set 'region'")
    expect(() => backendConfigFromSettings({ bucket: 'b', key: 'k', region: 'r', workspace: 'a/b' })).toThrow(
      'not a valid Terraform workspace name',
    )
    expect(
      backendConfigFromSettings({ bucket: 'b', key: 'k', region: 'r', workspace: 'dev', endpoint: 'http://x' }),
    ).toMatchObject({
      statePath: 'env:/dev/k',
      usePathStyle: true,
      endpoints: { s3: 'http://x', dynamodb: 'http://x' },
      source: 'explicit',
    })
  })
})
