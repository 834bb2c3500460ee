// Runs jest (ESM needs --experimental-vm-modules) and closes with the plain
// "N passed, N failed" line, so any CI reader can count the tests.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'

const resultsFile = join(mkdtempSync(join(tmpdir(), 'jest-')), 'results.json')
const extra = process.argv.slice(2)
// Most tests wait on child processes (terraform, act, moto, the bundles), so jest's default of one worker
// per core minus one (a single worker on 2 cores) leaves a core idle: run at least two.
const workers = extra.some((a) => /^(--maxWorkers|-w|--runInBand|-i)\b/.test(a))
  ? []
  : [`--maxWorkers=${Math.max(2, availableParallelism() - 1)}`]
const args = [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  '--testTimeout=180000',
  '--json',
  `--outputFile=${resultsFile}`,
  ...workers,
  ...extra,
]
const child = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  // .tools/bin holds tools the setup scripts built when the machine lacked them (e.g. terraform).
  env: {
    ...process.env,
    NODE_NO_WARNINGS: '1',
    PATH: `${resolve(import.meta.dirname, '..', '.tools', 'bin')}${delimiter}${process.env.PATH}`,
  },
})
let summary = 'tests: 0 passed, 0 failed'
try {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'))
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`
  if (r.numTotalTests === 0) child.status = 1
} catch {
  child.status = child.status || 1
}
console.log(summary)
process.exit(child.status ?? 1)
