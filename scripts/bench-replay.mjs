// Replay throughput (called by `npm run bench`, after `npm run build`; or alone: node scripts/bench-replay.mjs).
//
// For 5,000 and 20,000 events at --batch-size 1 and 100: the built CLI (`node bin/run.js replay`)
// reads the window from a local System Log stand-in (test/helpers/syslog-standin.ts, 1,000 events
// per page with Link next) and delivers to a local receiver; beside it, in the same run, a bare
// Node http loop posts the very same bodies to the same receiver with the same concurrency and a
// keep-alive agent. Everything is on 127.0.0.1 and every loop is bounded.
// Peak memory of the CLI: /usr/bin/time -f %M (max RSS of the child).
// Each configuration runs BENCH_REPLAY_RUNS rounds (default 5) of bare loop then CLI; the median
// rate of each side and the highest peak RSS are reported. Like with like: both rates are counted
// from the first System Log request to the last acknowledged delivery (the bare loop too reads the
// window's pages from the stand-in), and neither includes Node's or the CLI's start-up.
// Targets: at batch size 1, at least half the bare loop's rate; peak memory <= 150 MiB, flat with the window.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {register} from 'tsx/esm/api'

register()
const {startSyslogStandin} = await import('../test/helpers/syslog-standin.ts')

if (!existsSync('dist/commands/replay.js')) {
  console.error('bench-replay: dist/commands/replay.js is missing; run `npm run build` first.')
  process.exit(1)
}

const SIZES = (process.env.BENCH_REPLAY_SIZES ?? '5000,20000').split(',').map(Number)
const BATCHES = (process.env.BENCH_REPLAY_BATCHES ?? '1,100').split(',').map(Number)
const CONCURRENCY = Number(process.env.BENCH_REPLAY_CONCURRENCY ?? 4)
const RUNS = Number(process.env.BENCH_REPLAY_RUNS ?? 5)
const TOKEN = 'bench-token-000'
const HOOK_ID = 'whoBench00000000000'
const FIRST = Date.parse('2026-11-20T00:00:00.000Z')
const MAX_EVENTS = Math.max(...SIZES)

// ---- the receiver: its own process, so that the CLI and the bare loop meet the same one ----
const RECEIVER = `
const http = require('node:http')
let requests = 0
let events = 0
const server = http.createServer((req, res) => {
  let size = 0
  const chunks = []
  req.on('data', (c) => { chunks.push(c); size += c.length })
  req.on('end', () => {
    requests++
    // Count events cheaply: each event carries exactly one "legacyEventType".
    const body = Buffer.concat(chunks, size).toString()
    events += body.split('"legacyEventType"').length - 1
    res.writeHead(200, {'content-length': '0'})
    res.end()
  })
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => process.send({port: server.address().port}))
process.on('message', (m) => {
  if (m === 'stats') process.send({events, requests})
  if (m === 'reset') { requests = 0; events = 0; process.send({reset: true}) }
  if (m === 'exit') process.exit(0)
})
`

// ---- the bare loop: fetch the window, build the same bodies, POST them; timed from the first page request ----
const BARE = `
const http = require('node:http')
const {randomUUID} = require('node:crypto')
const [orgUrl, token, since, until, batchSize, concurrency, target, hookId] = process.argv.slice(1)
const get = (url) => new Promise((resolve, reject) => {
  http.get(url, {headers: {Accept: 'application/json', Authorization: 'SSWS ' + token}}, (res) => {
    const chunks = []
    res.on('data', (c) => chunks.push(c))
    res.on('end', () => resolve({body: JSON.parse(Buffer.concat(chunks).toString()), link: res.headers.link}))
  }).on('error', reject)
})
;(async () => {
  const started = performance.now()
  const events = []
  let url = orgUrl + '/api/v1/logs?' + new URLSearchParams({since, until, filter: 'eventType eq "user.lifecycle.create"', limit: '1000', sortOrder: 'ASCENDING'})
  while (url) {
    const page = await get(url)
    events.push(...page.body)
    const next = /<([^>]+)>;\\s*rel="next"/.exec(page.link || '')
    url = next ? next[1] : undefined
  }
  const bodies = []
  for (let i = 0; i < events.length; i += Number(batchSize)) {
    bodies.push(JSON.stringify({eventType: 'com.okta.event_hook', eventTypeVersion: '1.0', cloudEventsVersion: '0.1', source: orgUrl + '/api/v1/eventHooks/' + hookId, eventId: randomUUID(), data: {events: events.slice(i, i + Number(batchSize))}, eventTime: new Date().toISOString(), contentType: 'application/json'}))
  }
  const agent = new http.Agent({keepAlive: true, maxSockets: 64})
  const post = (body) => new Promise((resolve, reject) => {
    const req = http.request(target, {agent, method: 'POST', headers: {Accept: 'application/json', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}}, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error('status ' + res.statusCode))))
    })
    req.on('error', reject)
    req.end(body)
  })
  let next = 0
  await Promise.all(Array.from({length: Number(concurrency)}, async () => {
    while (next < bodies.length) await post(bodies[next++])
  }))
  const ms = performance.now() - started
  process.stdout.write(JSON.stringify({events: events.length, ms, requests: bodies.length}))
  agent.destroy()
})().catch((error) => { console.error(error); process.exit(1) })
`

function startReceiver() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', RECEIVER], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']})
    child.once('message', ({port}) => resolve({child, url: `http://127.0.0.1:${port}/okta`}))
  })
}

function ask(receiver, message) {
  return new Promise((resolve) => {
    receiver.child.once('message', resolve)
    receiver.child.send(message)
  })
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('exit', (code) => {
      const wallMs = performance.now() - started
      if (code === 0) resolve({stderr, stdout, wallMs})
      else reject(new Error(`${args.slice(0, 4).join(' ')} exited ${code}: ${stderr.slice(-2000)}`))
    })
  })
}

const receiver = await startReceiver()
const hook = {
  channel: {config: {authScheme: null, headers: [], method: 'POST', uri: receiver.url}, type: 'HTTP', version: '1.0.0'},
  events: {items: ['user.lifecycle.create'], type: 'EVENT_TYPE'},
  id: HOOK_ID,
  name: 'Bench',
  status: 'ACTIVE',
  verificationStatus: 'VERIFIED',
}
const standin = await startSyslogStandin({
  eventCount: MAX_EVENTS,
  firstPublished: new Date(FIRST).toISOString(),
  hooks: [hook],
  stepMs: 1000,
  token: TOKEN,
})
const env = {
  ...process.env,
  HOME: mkdtempSync(join(tmpdir(), 'okta-hooks-bench-replay-')),
  OKTA_CLIENT_ORGURL: standin.url,
  OKTA_CLIENT_TOKEN: TOKEN,
}
for (const name of Object.keys(env))
  if (name.startsWith('OKTA_CLIENT_') && !['OKTA_CLIENT_ORGURL', 'OKTA_CLIENT_TOKEN'].includes(name)) delete env[name]
delete env.NODE_OPTIONS
delete env.NODE_EXTRA_CA_CERTS

const rows = []
let missed = 0
try {
  for (const size of SIZES) {
    const since = new Date(FIRST).toISOString()
    const until = new Date(FIRST + size * 1000).toISOString()
    for (const batch of BATCHES) {
      // RUNS rounds, each the bare loop then the CLI back to back; medians of each side, the highest peak RSS.
      const bareRates = []
      const inRunRates = []
      const wallTimes = []
      let maxRssKb = 0
      for (let round = 0; round < RUNS; round++) {
        await ask(receiver, 'reset')
        const bare = JSON.parse(
          (
            await run(
              process.execPath,
              ['-e', BARE, standin.url, TOKEN, since, until, String(batch), String(CONCURRENCY), receiver.url, HOOK_ID],
              env,
            )
          ).stdout,
        )
        const bareGot = await ask(receiver, 'stats')
        await ask(receiver, 'reset')
        const cli = await run(
          '/usr/bin/time',
          [
            '-f',
            '%M',
            process.execPath,
            'bin/run.js',
            'replay',
            HOOK_ID,
            '--since',
            since,
            '--until',
            until,
            '--to',
            receiver.url,
            '--no-auth',
            '--batch-size',
            String(batch),
            '--concurrency',
            String(CONCURRENCY),
            '--json',
          ],
          env,
        )
        const got = await ask(receiver, 'stats')
        const result = JSON.parse(cli.stdout)
        if (got.events !== size || bareGot.events !== size || result.stats.accepted !== size)
          throw new Error(
            `expected ${size} events; the receiver got ${got.events} (CLI) and ${bareGot.events} (bare loop)`,
          )
        bareRates.push((bare.events * 1000) / bare.ms)
        inRunRates.push((size * 1000) / result.stats.elapsedMs)
        wallTimes.push(cli.wallMs)

        maxRssKb = Math.max(maxRssKb, Number(cli.stderr.trim().split('\n').at(-1)))
      }

      const bareRate = median(bareRates)
      const inRunRate = median(inRunRates)
      const wallMs = median(wallTimes)
      const wallRate = (size * 1000) / wallMs
      const ratio = inRunRate / bareRate
      const memMiB = maxRssKb / 1024
      const ok = (batch !== 1 || ratio >= 0.5) && memMiB <= 150
      if (!ok) missed++
      rows.push({batch, bareRate, inRunRate, memMiB, ok, ratio, size, wallMs, wallRate})
    }
  }
} finally {
  await standin.close()
  receiver.child.send('exit')
}

function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const fmt = (n) => Math.round(n).toLocaleString('en-US')
const head = [
  'events',
  'batch',
  'bare loop ev/s',
  'replay ev/s',
  'ratio',
  'replay ev/s incl. start-up',
  'peak RSS',
  'goal',
  '',
]
const table = rows.map((r) => [
  fmt(r.size),
  String(r.batch),
  fmt(r.bareRate),
  fmt(r.inRunRate),
  r.ratio.toFixed(2),
  `${fmt(r.wallRate)} (${(r.wallMs / 1000).toFixed(2)} s)`,
  `${r.memMiB.toFixed(0)} MiB`,
  r.batch === 1 ? 'ratio >= 0.5, <= 150 MiB' : '<= 150 MiB',
  r.ok ? 'ok' : 'MISSED',
])
const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)))
const line = (cells) =>
  cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd()
console.log(
  `Replay throughput (median of ${RUNS} rounds, concurrency ${CONCURRENCY}, System Log stand-in and receiver on 127.0.0.1; "replay ev/s" is measured by the CLI from its first System Log request to its last acknowledged delivery)`,
)
console.log(line(head))
for (const row of table) console.log(line(row))
if (missed > 0) {
  console.log(`\n${missed} replay target(s) missed (batch size 1: >= 0.5 x the bare loop; peak RSS <= 150 MiB).`)
  process.exitCode = 1
}
