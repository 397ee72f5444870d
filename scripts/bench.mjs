// npm run bench: start-up speed and memory of okta-hooks, as ratios to the floor (`node -e 0`)
// measured in the same run, against a local HTTP stand-in for an Okta org on 127.0.0.1.
// Then the replay throughput benchmark (scripts/bench-replay.mjs) and the local stores at any size
// (scripts/bench-stores.mjs: deliveries at 1k/100k records and 1 GiB, sandbox GETs during saves) when present.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import http from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const hooks = JSON.parse(readFileSync('data/samples/RetrieveAllEventHooks.json', 'utf8'))
const server = http.createServer((req, res) => {
  if (req.headers.authorization !== 'SSWS bench-token-000') {
    res.writeHead(401, {'content-type': 'application/json'})
    return res.end('{"errorCode":"E0000011","errorSummary":"Invalid token provided"}')
  }

  res.writeHead(200, {'content-type': 'application/json', 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '599', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60)})
  res.end(req.url.startsWith('/api/v1/eventHooks/') ? JSON.stringify(hooks[0]) : JSON.stringify(hooks))
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const orgUrl = `http://127.0.0.1:${server.address().port}`
const env = {...process.env, OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: 'bench-token-000', HOME: mkdtempSync(join(tmpdir(), 'okta-hooks-bench-'))}
delete env.NODE_OPTIONS

function run(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, args, {env: {...env, ...extraEnv}, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code === 0) resolve(ms)
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))
    })
  })
}

async function peakMiB(args) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-rss-'))
  const file = join(dir, 'rss')
  await run(['--require', './scripts/bench-rss.cjs', ...args], {BENCH_RSS_FILE: file})
  const kib = Number(readFileSync(file, 'utf8').trim().split('\n').at(-1))
  rmSync(dir, {force: true, recursive: true})
  return kib / 1024
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const cases = [
  {args: ['-e', '0'], name: 'node -e 0 (floor)'},
  {args: ['bin/run.js', '--help'], maxRatio: 1.7, name: 'okta-hooks --help'},
  {args: ['bin/run.js', '--version'], maxRatio: 1.7, name: 'okta-hooks --version'},
  {args: ['bin/run.js', 'list', '--help'], maxRatio: 1.7, name: 'okta-hooks list --help'},
  {args: ['bin/run.js', 'list'], maxMiB: 90, maxRatio: 3, name: 'okta-hooks list (local stand-in)'},
  {args: ['bin/run.js', 'get', 'who8vt36qfNpCGz9H1e6', '--json'], maxMiB: 90, maxRatio: 3, name: 'okta-hooks get --json'},
  {args: ['bin/run.js', 'event-types', 'user.lifecycle'], maxMiB: 90, maxRatio: 3, name: 'okta-hooks event-types (no Okta)'},
].filter((c) => c.args[0] !== 'bin/run.js' || c.args[1] !== 'event-types' || existsSync('dist/commands/event-types.js'))

for (const c of cases) await run(c.args) // warm the file cache
const times = new Map(cases.map((c) => [c, []]))
for (let i = 0; i < RUNS; i++) {
  for (const c of cases) times.get(c).push(await run(c.args)) // interleaved, so load affects all alike
}

const floor = median(times.get(cases[0]))
const rows = []
let failures = 0
for (const c of cases) {
  const ms = median(times.get(c))
  const ratio = ms / floor
  const mib = await peakMiB(c.args)
  const ok = (!c.maxRatio || ratio <= c.maxRatio) && (!c.maxMiB || mib <= c.maxMiB)
  if (!ok) failures++
  rows.push([c.name, ms.toFixed(0), `${ratio.toFixed(2)}x`, mib.toFixed(0), c.maxRatio ? `<= ${c.maxRatio}x${c.maxMiB ? `, <= ${c.maxMiB} MiB` : ''}` : '', c.maxRatio ? (ok ? 'ok' : 'MISSED') : ''])
}

server.close()
const head = ['command', 'median ms', 'vs floor', 'peak MiB', 'target', '']
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ')
console.log(`Start-up: median of ${RUNS} runs each, interleaved; peak RSS from a separate run.`)
console.log(line(head))
for (const r of rows) console.log(line(r))

if (existsSync('scripts/bench-replay.mjs') && !process.env.BENCH_SKIP_REPLAY) {
  console.log('')
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/bench-replay.mjs'], {stdio: 'inherit'})
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench-replay exited ${code}`))))
  })
}

if (existsSync('scripts/bench-stores.mjs') && !process.env.BENCH_SKIP_STORES) {
  console.log('')
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/bench-stores.mjs'], {stdio: 'inherit'})
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench-stores exited ${code}`))))
  })
}

if (failures > 0) console.log(`\n${failures} start-up target(s) missed.`)
