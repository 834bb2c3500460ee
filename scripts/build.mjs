// Builds one ncc bundle per action (dist/<name>/index.js) and the CLI (dist/cli/index.js).
// The output is deterministic, so CI can rebuild and compare (scripts/check-dist.mjs).
import ncc from '@vercel/ncc'
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
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

const selected = entries().filter(({ name }) => only.length === 0 || only.includes(name))
if (only.length === 0) rmSync(outRoot, { recursive: true, force: true })
for (const { name, input } of selected) {
  rmSync(join(outRoot, name), { recursive: true, force: true })
  const { code, assets } = await ncc(input, {
    minify: false,
    sourceMap: false,
    license: 'licenses.txt',
    quiet: true,
    target: 'es2022',
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
