// Local stores at any size (called by `npm run bench`, after `npm run build`; or alone:
// node scripts/bench-stores.mjs). Everything runs the built CLI (`node bin/run.js`) on 127.0.0.1
// in a temporary folder; records are realistic (one real record from the receiver, copied with new
// ids and times).
//
// 1. `deliveries list --limit 20` (and `show last`, `show <prefix of the oldest>`) at 1,000 and
//    100,000 records: median of BENCH_STORES_RUNS (default 7) interleaved runs, peak RSS.
//    Target: at 100,000 records at most 1.5x the time at 1,000, in flat memory (+16 MiB at most).
// 2. A 1 GiB record (~340,000 records): every deliveries command, its exit code, time and peak RSS
//    Target: every command exits 0.
// 3. `sandbox start --data` holding 33,000 System Log events: the latency of GET
//    /api/v1/eventHooks while events are emitted every 100 ms (each emit makes the sandbox save).
//    Target: no GET waits for a save (max latency under 100 ms).
// BENCH_STORES_SECTIONS picks sections (default "deliveries,gib,sandbox"); BENCH_SKIP_GIB=1 drops the 1 GiB one.
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs'
import http from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {register} from 'tsx/esm/api'

register()
const {startReceiver} = await import('../src/lib/receiver/server.ts')
const {DeliveryStore} = await import('../src/lib/receiver/delivery-store.ts')
const {buildEnvelope} = await import('../src/lib/delivery/envelope.ts')
const {sampleEvent} = await import('../src/lib/delivery/sample-events.ts')
const {sendRequest} = await import('../src/lib/delivery/http-delivery.ts')

if (!existsSync('dist/commands/deliveries/list.js')) {
  console.error('bench-stores: dist/ is missing; run `npm run build` first.')
  process.exit(1)
}

const RUNS = Number(process.env.BENCH_STORES_RUNS ?? 7)
const SECTIONS = new Set((process.env.BENCH_STORES_SECTIONS ?? 'deliveries,gib,sandbox').split(','))
if (process.env.BENCH_SKIP_GIB) SECTIONS.delete('gib')
const GIB = 1024 ** 3
const work = mkdtempSync(join(tmpdir(), 'okta-hooks-bench-stores-'))
const env = {...process.env, HOME: work}
delete env.NODE_OPTIONS

/** Runs the CLI; resolves with its exit code, wall time (ms) and peak RSS (MiB). */
function cli(args, {stdout = 'ignore'} = {}) {
  return new Promise((resolve) => {
    const rssFile = join(work, `rss-${process.hrtime.bigint()}`)
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, ['--require', './scripts/bench-rss.cjs', 'bin/run.js', ...args], {
      env: {...env, BENCH_RSS_FILE: rssFile},
      stdio: ['ignore', stdout, 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : 0
      rmSync(rssFile, {force: true})
      resolve({code, mib: kib / 1024, ms, stderr})
    })
  })
}

/** One real record line, from a real receiver. */
async function templateRecord() {
  const store = new DeliveryStore(join(work, 'template.ndjson'))
  const receiver = await startReceiver({port: 0, store})
  const body = JSON.stringify(
    buildEnvelope({
      events: [sampleEvent('user.lifecycle.create')],
      source: 'https://bench.okta.example/api/v1/eventHooks/whoBench',
    }),
  )
  await sendRequest({
    body,
    headers: {Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'Okta-Integrations'},
    method: 'POST',
    url: receiver.url,
  })
  await receiver.close()
  return store.readAll()[0]
}

/** A record file of `count` records (or of at least `bytes`), written fast; returns the oldest record's id. */
function writeRecords(file, template, {bytes = 0, count = 0}) {
  const fd = openSync(file, 'w', 0o600)
  const start = Date.parse('2026-01-01T00:00:00Z')
  let written = 0
  let lines = []
  let firstId
  for (let i = 0; i < count || written < bytes; i++) {
    const ms = start + i * 100
    const id = ms.toString(36) + (i % 0xffffff).toString(16).padStart(6, '0')
    firstId ??= id
    lines.push(JSON.stringify({...template, id, receivedAt: new Date(ms).toISOString()}))
    if (lines.length === 2000) {
      const text = lines.join('\n') + '\n'
      writeSync(fd, text)
      written += Buffer.byteLength(text)
      lines = []
    }
  }

  if (lines.length > 0) writeSync(fd, lines.join('\n') + '\n')
  closeSync(fd)
  return firstId
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const table = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (r) => r.map((cell, i) => String(cell).padEnd(widths[i])).join('  ')
  return [line(head), ...rows.map(line)].join('\n')
}

let missed = 0
const template = await templateRecord()

// ---- 1. deliveries at 1,000 and 100,000 records ----
async function deliveriesAtSize() {
  const small = join(work, 'r1k.ndjson')
  const large = join(work, 'r100k.ndjson')
  const smallOldest = writeRecords(small, template, {count: 1000})
  const largeOldest = writeRecords(large, template, {count: 100_000})
  const cases = [
    {args: (f) => ['deliveries', 'list', '--record', f, '--limit', '20'], name: 'deliveries list --limit 20'},
    {args: (f) => ['deliveries', 'show', 'last', '--record', f], name: 'deliveries show last'},
    {
      args: (f, oldest) => ['deliveries', 'show', oldest.slice(0, 10), '--record', f],
      name: 'deliveries show <prefix of the oldest>',
    },
  ]
  const results = new Map()
  for (const c of cases)
    for (const [file, oldest] of [
      [small, smallOldest],
      [large, largeOldest],
    ])
      await cli(c.args(file, oldest)) // warm the file cache
  for (let run = 0; run < RUNS; run++) {
    for (const c of cases) {
      for (const [size, file, oldest] of [
        ['1k', small, smallOldest],
        ['100k', large, largeOldest],
      ]) {
        const key = `${c.name} ${size}`
        const r = await cli(c.args(file, oldest))
        if (r.code !== 0) throw new Error(`${key} exited ${r.code}: ${r.stderr}`)
        const entry = results.get(key) ?? {mib: 0, ms: []}
        entry.ms.push(r.ms)
        entry.mib = Math.max(entry.mib, r.mib)
        results.set(key, entry)
      }
    }
  }

  const rows = []
  for (const c of cases) {
    const a = results.get(`${c.name} 1k`)
    const b = results.get(`${c.name} 100k`)
    const ratio = median(b.ms) / median(a.ms)
    const targeted = c.name === 'deliveries list --limit 20'
    const ok = ratio <= 1.5 && b.mib - a.mib <= 16
    if (targeted && !ok) missed++
    rows.push([
      c.name,
      median(a.ms).toFixed(0),
      a.mib.toFixed(0),
      median(b.ms).toFixed(0),
      b.mib.toFixed(0),
      `${ratio.toFixed(2)}x`,
      targeted ? '<= 1.5x, +16 MiB' : '',
      targeted ? (ok ? 'ok' : 'MISSED') : '',
    ])
  }

  console.log(
    `Local stores: median of ${RUNS} runs each, interleaved (1k: ${(statSync(small).size / 2 ** 20).toFixed(0)} MiB, 100k: ${(statSync(large).size / 2 ** 20).toFixed(0)} MiB).`,
  )
  console.log(table(['command', '1k ms', '1k MiB', '100k ms', '100k MiB', '100k/1k', 'target', ''], rows))
  rmSync(small)
  rmSync(large)
}

// ---- 2. a 1 GiB record: every deliveries command ----
async function deliveriesAtOneGiB() {
  const gib = join(work, 'r1g.ndjson')
  const oldest = writeRecords(gib, template, {bytes: GIB})
  const app = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()))
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve))
  const to = `http://127.0.0.1:${app.address().port}/hook`
  const commands = [
    ['deliveries', 'list'],
    ['deliveries', 'list', '--limit', '0', '--json'],
    ['deliveries', 'show', 'last'],
    ['deliveries', 'show', oldest.slice(0, 10)],
    ['deliveries', 'replay', 'last', '--to', to],
    ['deliveries', 'replay', oldest, '--to', to],
    ['deliveries', 'clear', '--yes'],
  ]
  const gibRows = []
  const size = statSync(gib).size
  for (const args of commands) {
    const r = await cli([...args, '--record', gib])
    if (r.code !== 0) missed++
    gibRows.push([
      args.join(' ').replace(oldest, '<oldest id>').replace(oldest.slice(0, 10), '<prefix>').replace(to, '<app>'),
      r.code,
      r.ms.toFixed(0),
      r.mib.toFixed(0),
      r.code === 0 ? 'ok' : `MISSED: ${r.stderr.trim().split('\n')[0]}`,
    ])
  }

  app.close()
  rmSync(gib, {force: true})
  console.log('')
  console.log(`A ${(size / GIB).toFixed(2)} GiB record: every deliveries command (one run each).`)
  console.log(table(['command', 'exit', 'ms', 'peak MiB', ''], gibRows))
}

// ---- 3. sandbox GETs while --data is saved ----
async function sandboxDuringSaves() {
  const EVENTS = Number(process.env.BENCH_SANDBOX_EVENTS ?? 33_000)
  const data = join(work, 'sandbox.json')
  const event = sampleEvent('user.lifecycle.create')
  const fd = openSync(data, 'w', 0o600)
  writeSync(fd, '{"adminUserId":"00uBenchAdmin0000001","events":[')
  for (let i = 0; i < EVENTS; i += 1000) {
    const slice = []
    for (let j = i; j < Math.min(EVENTS, i + 1000); j++)
      slice.push(
        JSON.stringify({
          ...event,
          published: new Date(Date.parse('2026-11-01T00:00:00Z') + j).toISOString(),
          uuid: `bench-${j}`,
        }),
      )
    writeSync(fd, (i > 0 ? ',' : '') + slice.join(','))
  }

  writeSync(fd, '],"hooks":[],"version":1}') // the version-1 file both the old and the new sandbox read
  closeSync(fd)
  const stateMiB = statSync(data).size / 2 ** 20
  const sandbox = spawn(
    process.execPath,
    ['bin/run.js', 'sandbox', 'start', '--port', '0', '--json', '--data', data, '--token', 'bench-sandbox-token'],
    {env, stdio: ['ignore', 'pipe', 'pipe']},
  )
  const ready = JSON.parse((await createInterface({input: sandbox.stdout})[Symbol.asyncIterator]().next()).value)
  const agent = new http.Agent({keepAlive: true, maxSockets: 4})
  const request = (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        ready.orgUrl + path,
        {agent, headers: {Authorization: `SSWS ${ready.token}`, 'Content-Type': 'application/json'}, method},
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode))
        },
      )
      req.on('error', reject)
      req.end(body === undefined ? undefined : JSON.stringify(body))
    })
  const DURATION_MS = 4000
  const until = Date.now() + DURATION_MS
  let emits = 0
  const emitter = (async () => {
    while (Date.now() < until) {
      await request('POST', '/__sandbox/events', {count: 10, eventType: 'user.lifecycle.create'})
      emits++
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  const latencies = []
  while (Date.now() < until) {
    const started = performance.now()
    await request('GET', '/api/v1/eventHooks')
    latencies.push(performance.now() - started)
  }

  await emitter
  agent.destroy()
  sandbox.kill('SIGTERM')
  await new Promise((resolve) => sandbox.on('exit', resolve))
  const sorted = [...latencies].sort((a, b) => a - b)
  const p = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  const max = sorted.at(-1)
  if (max >= 100) missed++
  console.log('')
  console.log(
    `sandbox start --data with ${EVENTS.toLocaleString('en')} events (${stateMiB.toFixed(0)} MiB): GET /api/v1/eventHooks back to back for ${DURATION_MS / 1000} s while ${emits} emits of 10 events made it save.`,
  )
  console.log(
    table(
      ['GETs', 'p50 ms', 'p99 ms', 'max ms', 'target', ''],
      [
        [
          latencies.length,
          p(0.5).toFixed(1),
          p(0.99).toFixed(1),
          max.toFixed(1),
          'max < 100 ms',
          max < 100 ? 'ok' : 'MISSED',
        ],
      ],
    ),
  )
}

if (SECTIONS.has('deliveries')) await deliveriesAtSize()
if (SECTIONS.has('gib')) await deliveriesAtOneGiB()
if (SECTIONS.has('sandbox')) await sandboxDuringSaves()

rmSync(work, {force: true, recursive: true})
if (missed > 0) console.log(`\n${missed} local-store target(s) missed.`)
