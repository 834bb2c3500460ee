// Runs jest (ESM needs --experimental-vm-modules) and closes with the plain
// "N passed, N failed" line, so any CI reader can count the tests.
//
// Without arguments (the whole suite) it runs in two passes: unit, integration and e2e on at least two
// workers (most of those tests wait on child processes, and jest's default of one worker per core minus
// one is a single worker on 2 cores), then the workflow scenarios one file at a time: each act run already
// runs jobs in parallel, and two at once on 2 cores slowed moto and terraform's lock writes enough to stall
// a run on its own lock. With arguments it is one jest run with exactly those arguments.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'

const workers = `--maxWorkers=${Math.max(2, availableParallelism() - 1)}`
const extra = process.argv.slice(2)
const passes =
  extra.length > 0
    ? [extra.some((a) => /^(--maxWorkers|-w|--runInBand|-i)\b/.test(a)) ? extra : [workers, ...extra]]
    : [
        ['--selectProjects', 'unit', 'integration', 'e2e', workers],
        ['--selectProjects', 'workflows', '--runInBand'],
      ]

function runJest(args) {
  const resultsFile = join(mkdtempSync(join(tmpdir(), 'jest-')), 'results.json')
  const child = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--testTimeout=180000',
      '--json',
      `--outputFile=${resultsFile}`,
      ...args,
    ],
    {
      stdio: 'inherit',
      // .tools/bin holds tools the setup scripts built when the machine lacked them (e.g. terraform).
      env: {
        ...process.env,
        NODE_NO_WARNINGS: '1',
        PATH: `${resolve(import.meta.dirname, '..', '.tools', 'bin')}${delimiter}${process.env.PATH}`,
      },
    },
  )
  try {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'))
    return {
      status: r.numTotalTests === 0 ? 1 : (child.status ?? 1),
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
    }
  } catch {
    return { status: child.status || 1, passed: 0, failed: 0, skipped: 0 }
  }
}

const total = { status: 0, passed: 0, failed: 0, skipped: 0 }
for (const args of passes) {
  const r = runJest(args)
  total.status ||= r.status
  total.passed += r.passed
  total.failed += r.failed
  total.skipped += r.skipped
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
process.exit(total.status)
