// Builds one ncc bundle per action (dist/<name>/index.js) and the CLI (dist/cli/index.js).
// The output is deterministic, so CI can rebuild and compare (scripts/check-dist.mjs).
// Each bundle is built in its own process: ncc keeps webpack's caches alive between builds in one
// process, and seven builds in a row run out of heap.
import ncc from '@vercel/ncc'
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
// Usage: build.mjs [--out DIR] [name ...]  (names limit the build to those bundles; default: all)
const argv = process.argv.slice(2)
let outRoot = join(root, 'dist')
const only = []
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out') outRoot = resolve(argv[++i])
  else only.push(argv[i])
}

function entries() {
  const list = readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'src', 'index.ts')))
    .sort()
    .map((name) => ({ name, input: join(root, 'actions', name, 'src', 'index.ts') }))
  list.push({ name: 'cli', input: join(root, 'packages', 'cli', 'src', 'index.ts') })
  return list
}

async function buildOne({ name, input }) {
  rmSync(join(outRoot, name), { recursive: true, force: true })
  const { code, assets } = await ncc(input, {
    minify: false,
    sourceMap: false,
    license: 'licenses.txt',
    quiet: true,
    target: 'es2022',
    // Types are checked once by `npm run typecheck`; type-checking again in every bundle quadrupled the
    // build time and changes no byte (the sources are isolatedModules-clean).
    transpileOnly: true,
  })
  const dir = join(outRoot, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'index.js'), code)
  for (const [file, asset] of Object.entries(assets)) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(join(dir, file), asset.source)
  }
  console.log(`built dist/${name}/index.js (${(Buffer.byteLength(code) / 1024).toFixed(0)} KiB)`)
}

function buildInChild(name) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [import.meta.filename, '--out', outRoot, name], { stdio: 'inherit' })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`build of ${name} failed (exit ${code})`)),
    )
  })
}

const selected = entries().filter(({ name }) => only.length === 0 || only.includes(name))
if (selected.length === 1) {
  await buildOne(selected[0])
} else {
  if (only.length === 0) rmSync(outRoot, { recursive: true, force: true })
  const queue = selected.map(({ name }) => name)
  const workers = Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
    while (queue.length) await buildInChild(queue.shift())
  })
  try {
    await Promise.all(workers)
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
}
