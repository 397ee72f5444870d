// npm run bench: start-up speed and memory of okta-hooks, as ratios to the floor (`node -e 0`)
// measured in the same run, against a local HTTP stand-in for an Okta org on 127.0.0.1; then the
// size of an install (npm pack, npm install of the tarball into a temporary prefix, du); then the
// replay throughput benchmark (scripts/bench-replay.mjs) and the local stores at any size
// (scripts/bench-stores.mjs: deliveries at 1k/100k records and 1 GiB, sandbox GETs during saves).
//
// Every command runs with NODE_EXTRA_CA_CERTS and NODE_OPTIONS unset (an extra CA bundle makes
// `node -e 0` itself more than twice as slow on some machines, which would hide the CLI's own cost).
// Each figure is the median of BENCH_RUNS runs (default 15), the cases interleaved so that the
// machine's load affects all alike. A command that keeps running (listen, sandbox start) is timed
// to its first useful output (its ready line), then stopped.
//
// BENCH_ONLY=startup|size|replay|stores runs one part; BENCH_SKIP_REPLAY / BENCH_SKIP_STORES /
// BENCH_SKIP_SIZE skip one.
import {execFile, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {packInto} from './pack-install.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const part = (name) =>
  process.env.BENCH_ONLY ? process.env.BENCH_ONLY === name : !process.env[`BENCH_SKIP_${name.toUpperCase()}`]
const HOOKS = JSON.parse(readFileSync('data/samples/RetrieveAllEventHooks.json', 'utf8'))
const HOOK_ID = HOOKS[0].id
const TOKEN = 'bench-token-000'
const missed = []

/** The stand-in org: the hooks of data/samples, an empty System Log, lifecycle calls answered with the hook. */
function standIn(req, res) {
  const send = (status, body, headers = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-rate-limit-limit': '600',
      'x-rate-limit-remaining': '599',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
      ...headers,
    })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }

  if (req.headers.authorization !== `SSWS ${TOKEN}`)
    return send(401, {errorCode: 'E0000011', errorSummary: 'Invalid token provided'})
  const path = req.url.split('?')[0]
  if (path === '/api/v1/logs') return send(200, [])
  if (path === '/api/v1/eventHooks') return send(200, HOOKS)
  const one = /^\/api\/v1\/eventHooks\/([^/]+)/.exec(path)
  const hook = one && HOOKS.find((h) => h.id === one[1])
  return hook
    ? send(200, hook)
    : send(404, {errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${one?.[1]} (EventHook)`})
}

/** An endpoint that answers as Okta requires: the verification challenge echoed, deliveries acknowledged. */
function endpoint(req, res) {
  const challenge = req.headers['x-okta-verification-challenge']
  req.resume()
  req.on('end', () => {
    if (req.method === 'GET' && challenge) {
      res.writeHead(200, {'content-type': 'application/json'})
      return res.end(JSON.stringify({verification: challenge}))
    }

    res.writeHead(200)
    res.end()
  })
}

function listen(handler) {
  const server = http.createServer(handler)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const home = mkdtempSync(join(tmpdir(), 'okta-hooks-bench-'))
const env = {...process.env, HOME: home, OKTA_HOOKS_NO_UPDATE_CHECK: '1'}
for (const name of Object.keys(env)) if (name.startsWith('OKTA_CLIENT_') || name.startsWith('npm_')) delete env[name]
delete env.NODE_EXTRA_CA_CERTS
delete env.NODE_OPTIONS
delete env.FORCE_COLOR

/**
 * One run: resolves with its wall time in ms, to its exit (code 0 expected) or, with `until`, to
 * the first output line that matches (then the process is stopped).
 */
function run(c, extraArgs = [], extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [...extraArgs, ...c.args], {
      env: {...env, ...c.env, ...extraEnv},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let ms
    const onData = (chunk) => {
      output += chunk
      if (c.until && ms === undefined && c.until.test(output)) {
        ms = Number(process.hrtime.bigint() - started) / 1e6
        child.kill('SIGTERM')
      }
    }

    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => {
      if (c.until && ms !== undefined) return resolve(ms)
      const wall = Number(process.hrtime.bigint() - started) / 1e6
      if (code === 0 && !c.until) resolve(wall)
      else
        reject(
          new Error(
            `${c.args.join(' ')} exited ${code}${c.until ? ` before printing ${c.until}` : ''}: ${output.slice(-2000)}`,
          ),
        )
    })
  })
}

async function peakMiB(c) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-rss-'))
  const file = join(dir, 'rss')
  try {
    await run(c, ['--require', './scripts/bench-rss.cjs'], {BENCH_RSS_FILE: file})
    if (!existsSync(file)) return undefined
    return Number(readFileSync(file, 'utf8').trim().split('\n').at(-1)) / 1024
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

/**
 * One run's CPU time in ms (user + system, every thread of the process): the cross-check for a loaded machine,
 * where other processes stretch the wall time of some runs (the floor's too) but hardly the CPU a run needs.
 * Undefined for a run stopped by a signal (listen, sandbox start: no exit event).
 */
async function cpuMs(c) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-cpu-'))
  const file = join(dir, 'cpu')
  try {
    await run(c, ['--require', './scripts/bench-cpu.cjs'], {BENCH_CPU_FILE: file})
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) / 1000 : undefined
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function printTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (r) =>
    r
      .map((cell, i) => String(cell).padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  console.log(line(head))
  for (const r of rows) console.log(line(r))
}

async function startup() {
  const org = await listen(standIn)
  const target = await listen(endpoint)
  const orgEnv = {OKTA_CLIENT_ORGURL: `http://127.0.0.1:${org.address().port}`, OKTA_CLIENT_TOKEN: TOKEN}
  const endpointUrl = `http://127.0.0.1:${target.address().port}/okta`
  const hooksFile = join(home, 'hooks.yaml')
  // (async: the stand-in answers from this process)
  const exported = await promisify(execFile)(process.execPath, ['bin/run.js', 'export'], {env: {...env, ...orgEnv}})
  writeFileSync(hooksFile, exported.stdout)
  const cli = (name, args, goal, extra = {}) => ({
    args: ['bin/run.js', ...args],
    env: extra.okta === false ? {} : orgEnv,
    goal,
    name,
    ...extra,
  })
  const FAST = 1.5
  const CMD = 3
  const cases = [
    {args: ['-e', '0'], name: 'node -e 0 (floor)'},
    cli('--help', ['--help'], FAST, {okta: false}),
    cli('--version', ['--version'], FAST, {okta: false}),
    cli('list --help', ['list', '--help'], FAST, {okta: false}),
    cli('deliveries list --help', ['deliveries', 'list', '--help'], FAST, {okta: false}),
    cli('list --json', ['list', '--json'], CMD, {memory: true}),
    cli('get <id> --json', ['get', HOOK_ID, '--json'], CMD, {memory: true}),
    cli('list (table)', ['list'], CMD),
    cli('get <id>', ['get', HOOK_ID], CMD),
    cli('logs <id> --json', ['logs', HOOK_ID, '--json'], CMD),
    cli('export', ['export'], CMD),
    cli('plan -f <file>', ['plan', '-f', hooksFile], CMD),
    cli(
      'create --dry-run',
      [
        'create',
        '--name',
        'Bench',
        '--url',
        'https://example.com/hook',
        '--event',
        'user.lifecycle.create',
        '--dry-run',
      ],
      CMD,
    ),
    cli('event-types user', ['event-types', 'user'], CMD, {memory: true, okta: false}),
    cli('check-endpoint <local url>', ['check-endpoint', endpointUrl], CMD, {okta: false}),
    cli('listen (to its ready line)', ['listen', '--port', '0', '--record', join(home, 'deliveries.ndjson')], CMD, {
      okta: false,
      until: /Ready: listening on/,
    }),
    cli('sandbox start (to its ready line)', ['sandbox', 'start', '--port', '0'], CMD, {
      okta: false,
      until: /Okta sandbox listening on/,
    }),
    cli('deliveries list', ['deliveries', 'list', '--record', join(home, 'deliveries.ndjson')], CMD, {okta: false}),
    cli('schema', ['schema'], CMD, {okta: false}),
  ]

  for (const c of cases) await run(c) // warm the file cache, and fail early on a broken case
  const times = new Map(cases.map((c) => [c, []]))
  for (let i = 0; i < RUNS; i++) {
    for (const c of cases) times.get(c).push(await run(c)) // interleaved, so load affects all alike
  }

  // CPU time, in fewer interleaved runs of their own (the preload that reads it is not in the wall-time runs)
  const cpu = new Map(cases.filter((c) => !c.until).map((c) => [c, []]))
  for (let i = 0; i < Math.max(5, Math.round(RUNS / 3)); i++) {
    for (const [c, list] of cpu) list.push(await cpuMs(c))
  }

  const floor = median(times.get(cases[0]))
  const cpuFloor = median(cpu.get(cases[0]))
  const rows = []
  for (const c of cases) {
    const ms = median(times.get(c))
    const ratio = ms / floor
    const mib = c.memory || c === cases[0] ? await peakMiB(c) : undefined
    const ok = !c.goal || ratio <= c.goal
    if (!ok) missed.push(`${c.name}: ${ratio.toFixed(2)}x, goal <= ${c.goal}x`)
    rows.push([
      c.name,
      ms.toFixed(0),
      `${ratio.toFixed(2)}x`,
      c.goal ? `<= ${c.goal}x` : '',
      c.goal ? (ok ? 'ok' : 'MISSED') : '',
      mib === undefined ? '' : mib.toFixed(0),
      cpu.has(c) ? median(cpu.get(c)).toFixed(0) : '',
      cpu.has(c) ? `${(median(cpu.get(c)) / cpuFloor).toFixed(2)}x` : '',
    ])
  }

  org.close()
  target.close()
  console.log(
    `Start-up: median of ${RUNS} interleaved runs each, NODE_EXTRA_CA_CERTS unset, against a local stand-in of Okta; peak RSS from one separate run.`,
  )
  console.log(
    'CPU ms: median CPU time (user + system) of separate interleaved runs, the cross-check when the machine is loaded.',
  )
  printTable(['command', 'median ms', 'vs floor', 'goal', '', 'peak MiB', 'CPU ms', 'CPU vs floor'], rows)
}

function du(dir) {
  let bytes = 0
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const stat = statSync(path, {throwIfNoEntry: false})
    if (!stat) continue
    bytes += stat.isDirectory() ? du(path) : stat.size
  }

  return bytes
}

/** What a user downloads and keeps: the tarball and the installed package with its runtime dependencies. */
function installSize() {
  const GOAL_MB = 15
  const work = mkdtempSync(join(tmpdir(), 'okta-hooks-bench-size-'))
  try {
    // npm with the user's own environment (its cache, its CA certificates), less what `npm run` adds;
    // the bench has just built, so the pack skips prepack.
    const {dir: installed, tarball} = packInto({ignoreScripts: true, root: process.cwd(), work})
    const modules = join(installed, 'node_modules')
    const packages = existsSync(modules)
      ? readdirSync(modules).flatMap((n) =>
          n.startsWith('@') ? readdirSync(join(modules, n)) : n.startsWith('.') ? [] : [n],
        ).length
      : 0
    const tarMB = statSync(tarball).size / 1e6
    const installMB = du(installed) / 1e6
    const total = tarMB + installMB
    const ok = total < GOAL_MB
    if (!ok) missed.push(`install size: ${total.toFixed(1)} MB, goal < ${GOAL_MB} MB`)
    console.log('Install size: npm pack, then npm install -g --prefix <temp> of the tarball (sizes in MB, 10^6 bytes).')
    printTable(
      ['tarball', 'installed (package + runtime dependencies)', 'runtime packages', 'tarball + installed', 'goal', ''],
      [
        [
          tarMB.toFixed(2),
          installMB.toFixed(2),
          String(packages),
          total.toFixed(2),
          `< ${GOAL_MB} MB`,
          ok ? 'ok' : 'MISSED',
        ],
      ],
    )
  } finally {
    rmSync(work, {force: true, recursive: true})
  }
}

function script(path) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path], {env: {...env, HOME: process.env.HOME}, stdio: 'inherit'})
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path} exited ${code}`))))
  })
}

try {
  if (part('startup')) await startup()
  if (part('size')) {
    console.log('')
    installSize()
  }

  if (part('replay') && existsSync('scripts/bench-replay.mjs')) {
    console.log('')
    await script('scripts/bench-replay.mjs').catch((error) => missed.push(`replay: ${error.message} (see its table)`))
  }

  if (part('stores') && existsSync('scripts/bench-stores.mjs')) {
    console.log('')
    await script('scripts/bench-stores.mjs')
  }
} finally {
  rmSync(home, {force: true, recursive: true})
}

if (missed.length > 0) {
  console.log(`\n${missed.length} goal(s) MISSED:\n  ${missed.join('\n  ')}`)
  process.exitCode = 1
} else {
  console.log('\nEvery goal met.')
}
