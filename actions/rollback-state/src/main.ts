import { notImplemented } from '../../../packages/kit/src/runner.js'

export async function run(): Promise<void> {
  await notImplemented('rollback-state')
}
