#!/usr/bin/env node
// npm run demo: the whole event hook flow in one command, against a local sandbox org.
// Builds dist/ when it is missing or older than the sources, starts `okta-hooks sandbox start` and
// `okta-hooks listen` in the background, then runs create → verify → sandbox emit → what the receiver
// got → preview with a modification → list → deactivate → delete, printing each command the way a
// user would type it with its output below. Everything runs with a temporary HOME and data folder
// (nothing of the user's is read or written), and both background processes and the temporary files
// are removed at the end, whether the demo succeeds or not. Exit 0 on success, 1 on a failed step.
import {spawn, spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')
const HOOK_NAME = 'Demo: new users'
const NEW_USER = 'new.hire@example.com'
const EDITED_USER = 'ada.lovelace@example.com'
const READY_TIMEOUT_MS = 20_000
const COMMAND_TIMEOUT_MS = 30_000
const RECEIVER_TIMEOUT_MS = 10_000

const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code) => (text) => (color ? `\u001B[${code}m${text}\u001B[0m` : text)
const bold = paint('1')
const cyan = paint('1;36')
const dim = paint('2')
const green = paint('1;32')
const red = paint('1;31')

class DemoError extends Error {}

const out = (text = '') => process.stdout.write(text + '\n')

// ---------------------------------------------------------------------------------------------
// Build

const BUILD_INPUTS = [
  'src',
  'scripts/build.mjs',
  'scripts/bundle-sdk.mjs',
  'scripts/build-help-cache.mjs',
  'scripts/okta-sdk-entry.cjs',
  'package.json',
  'package-lock.json',
]
const BUILD_OUTPUTS = ['dist/main.js', 'dist/help-cache.json', 'oclif.manifest.json']

function newestMtime(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

/** Why dist/ must be (re)built, or undefined when it is up to date. */
function buildReason() {
  const missing = BUILD_OUTPUTS.find((file) => !existsSync(join(ROOT, file)))
  if (missing) return `${missing} is missing`
  const built = Math.min(...BUILD_OUTPUTS.map((file) => statSync(join(ROOT, file)).mtimeMs))
  const inputs = BUILD_INPUTS.map((file) => join(ROOT, file)).filter((path) => existsSync(path))
  return inputs.some((path) => newestMtime(path) > built) ? 'the sources changed since the last build' : undefined
}

function ensureBuilt() {
  if (!existsSync(join(ROOT, 'node_modules')))
    throw new DemoError('node_modules is missing: run `npm ci` first, then `npm run demo`.')
  const reason = buildReason()
  if (!reason) return
  out(dim(`Building okta-hooks first (${reason}): npm run build`))
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`)
    throw new DemoError(`The build failed (${result.error?.message ?? `exit ${result.status}`}); see its output above.`)
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** The command as a user would type it in a POSIX shell. */
function shellWords(args) {
  return args
    .map((arg) => {
      if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
      if (/["$`\\!]/.test(arg)) return `'${arg.replaceAll("'", `'\\''`)}'`
      return `"${arg}"`
    })
    .join(' ')
}

function childEnv(extra) {
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^OKTA_(CLIENT|HOOKS)_/.test(name) && name !== 'NODE_OPTIONS') env[name] = value
  }

  return {...env, ...extra}
}

/** A long-running okta-hooks process whose output lines are kept and can be waited for. */
class Background {
  constructor(name, args, env, cwd) {
    this.name = name
    this.lines = []
    this.waiters = []
    this.exited = false
    this.child = spawn(process.execPath, [BIN, ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    this.exit = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true
        this.exitCode = code
        this.exitSignal = signal
        this.check()
        resolve({code, signal})
      })
    })
    this.child.on('error', (error) => {
      this.spawnError = error
      this.exited = true
      this.check()
    })
    for (const stream of ['stdout', 'stderr']) {
      let partial = ''
      this.child[stream].setEncoding('utf8')
      this.child[stream].on('data', (chunk) => {
        const parts = (partial + chunk).split('\n')
        partial = parts.pop()
        for (const text of parts) this.lines.push({stream, text})
        this.check()
      })
    }
  }

  check() {
    this.waiters = this.waiters.filter((waiter) => !waiter.settle())
  }

  /** Resolves with the first line at index >= from that matches, rejects if the process exits first or the time runs out. */
  waitForLine(match, {from = 0, stream, timeoutMs, what}) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry)
        reject(new DemoError(`${this.name} did not print ${what} within ${timeoutMs / 1000} s.${this.tail()}`))
      }, timeoutMs)
      const entry = {
        settle: () => {
          for (let i = from; i < this.lines.length; i++) {
            const line = this.lines[i]
            if ((!stream || line.stream === stream) && match(line.text)) {
              clearTimeout(timer)
              resolve({index: i, text: line.text})
              return true
            }
          }

          if (!this.exited) return false
          clearTimeout(timer)
          const how = this.spawnError
            ? `could not start (${this.spawnError.message})`
            : `exited (${this.exitSignal ?? `code ${this.exitCode}`})`
          reject(new DemoError(`${this.name} ${how} before printing ${what}.${this.tail()}`))
          return true
        },
      }
      if (!entry.settle()) this.waiters.push(entry)
    })
  }

  tail() {
    const last = this.lines.slice(-8).map((line) => `    ${line.text}`)
    return last.length > 0 ? `\n  Its last output:\n${last.join('\n')}` : ''
  }

  /** SIGTERM, then SIGKILL if it has not stopped after a few seconds. */
  async stop() {
    if (this.exited) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await this.exit
    clearTimeout(timer)
  }
}

// ---------------------------------------------------------------------------------------------
// The demo

let stepNumber = 0
let commandsInStep = 0

function header(title) {
  stepNumber += 1
  commandsInStep = 0
  out()
  out(cyan(`── ${stepNumber}. ${title} ${'─'.repeat(Math.max(4, 66 - title.length))}`))
}

function showCommand(args, {gap = true} = {}) {
  if (gap && commandsInStep > 0) out()
  commandsInStep += 1
  out(bold(`$ okta-hooks ${shellWords(args)}`))
}

/** Runs okta-hooks ARGS to completion, its output (stdout and stderr, in order) shown live. */
function runCli(context, args, {expectExit = 0} = {}) {
  showCommand(args)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: context.cwd,
      env: context.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, COMMAND_TIMEOUT_MS)
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      process.stdout.write(chunk)
    })
    child.stderr.on('data', (chunk) => process.stdout.write(chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new DemoError(`Could not run okta-hooks: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const typed = `okta-hooks ${shellWords(args)}`
      if (timedOut) reject(new DemoError(`\`${typed}\` did not finish within ${COMMAND_TIMEOUT_MS / 1000} s.`))
      else if (code === expectExit) resolve({code, stdout})
      else reject(new DemoError(`\`${typed}\` exited with ${code ?? signal}, expected ${expectExit}.`))
    })
  })
}

/** Prints what `listen` printed from line `from` on, up to and including the line that matched. */
function showReceiverLines(listen, from, to) {
  out(dim('  The receiver (okta-hooks listen, in the background) printed:'))
  for (const line of listen.lines.slice(from, to + 1)) {
    if (line.stream === 'stdout') out(`  │ ${line.text}`)
  }
}

async function demo(context) {
  const {env} = context

  header('Start a local Okta org (the sandbox) and a local receiver')
  const sandboxArgs = ['sandbox', 'start', '--port', '0', '--json']
  const listenArgs = ['listen', '--port', '0', '--auth-secret-env', 'DEMO_HOOK_SECRET']
  const sandbox = new Background('The sandbox (okta-hooks sandbox start)', sandboxArgs, env, context.cwd)
  context.background.push(sandbox)
  const listen = new Background('The receiver (okta-hooks listen)', listenArgs, env, context.cwd)
  context.background.push(listen)

  const [sandboxReady, listenReady] = await Promise.all([
    sandbox.waitForLine((text) => text.startsWith('{'), {
      stream: 'stdout',
      timeoutMs: READY_TIMEOUT_MS,
      what: 'its ready line',
    }),
    listen.waitForLine((text) => text.startsWith('Ready: listening on '), {
      stream: 'stderr',
      timeoutMs: READY_TIMEOUT_MS,
      what: '"Ready: listening on URL"',
    }),
  ])
  let ready
  try {
    ready = JSON.parse(sandboxReady.text)
  } catch {
    throw new DemoError(`The sandbox's ready line is not JSON: ${sandboxReady.text}`)
  }

  if (typeof ready.orgUrl !== 'string' || typeof ready.token !== 'string')
    throw new DemoError(`The sandbox's ready line lacks orgUrl or token: ${sandboxReady.text}`)
  const receiverUrl = listenReady.text.slice('Ready: listening on '.length).trim()
  env.OKTA_CLIENT_ORGURL = ready.orgUrl
  env.OKTA_CLIENT_TOKEN = ready.token

  showCommand(sandboxArgs, {gap: false})
  out(dim(`  (in the background) ${sandboxReady.text.replace(ready.token, `${ready.token.slice(0, 6)}…`)}`))
  out(bold(`$ export OKTA_CLIENT_ORGURL=${ready.orgUrl} OKTA_CLIENT_TOKEN=${ready.token.slice(0, 6)}…`))
  out(
    bold('$ export DEMO_HOOK_SECRET=$(openssl rand -base64 24)') +
      dim('   # the secret Okta will send in the Authorization header'),
  )
  showCommand(listenArgs, {gap: false})
  out(dim(`  (in the background) Ready: listening on ${receiverUrl}`))

  header('Create an event hook pointing at the receiver')
  await runCli(context, [
    'create',
    '--name',
    HOOK_NAME,
    '--url',
    receiverUrl,
    '--event',
    'user.lifecycle.create',
    '--auth-secret-env',
    'DEMO_HOOK_SECRET',
  ])

  header('Verify it: the org sends its one-time challenge to the receiver')
  let mark = listen.lines.length
  await runCli(context, ['verify', HOOK_NAME])
  const verification = await listen.waitForLine((text) => text.includes('verification challenge answered'), {
    from: mark,
    stream: 'stdout',
    timeoutMs: RECEIVER_TIMEOUT_MS,
    what: 'the verification request',
  })
  showReceiverLines(listen, mark, verification.index)

  header('Something happens in the org: a user is created')
  mark = listen.lines.length
  await runCli(context, ['sandbox', 'emit', 'user.lifecycle.create', '--target', NEW_USER, '--wait'])

  header('What the receiver got')
  const delivered = await listen.waitForLine((text) => text.includes('↳'), {
    from: mark,
    stream: 'stdout',
    timeoutMs: RECEIVER_TIMEOUT_MS,
    what: 'the delivery',
  })
  if (!listen.lines.slice(mark, delivered.index).some((line) => line.text.includes(NEW_USER))) {
    throw new DemoError(`The receiver got a delivery, but not the event about ${NEW_USER}.${listen.tail()}`)
  }

  showReceiverLines(listen, mark, delivered.index)
  await runCli(context, ['deliveries', 'list'])

  header('Preview: resend that System Log event to the hook, changed')
  mark = listen.lines.length
  await runCli(context, [
    'preview',
    HOOK_NAME,
    '--auth-secret-env',
    'DEMO_HOOK_SECRET',
    '--set',
    `data.events[0].target[0].alternateId="${EDITED_USER}"`,
  ])
  const previewed = await listen.waitForLine((text) => text.includes('↳'), {
    from: mark,
    stream: 'stdout',
    timeoutMs: RECEIVER_TIMEOUT_MS,
    what: 'the preview delivery',
  })
  if (!listen.lines.slice(mark, previewed.index).some((line) => line.text.includes(EDITED_USER))) {
    throw new DemoError(`The receiver got the preview, but without the changed target ${EDITED_USER}.${listen.tail()}`)
  }

  showReceiverLines(listen, mark, previewed.index)

  header("The org's event hooks")
  await runCli(context, ['list'])

  header('Clean up: deactivate, then delete')
  await runCli(context, ['deactivate', HOOK_NAME])
  await runCli(context, ['delete', HOOK_NAME, '--yes'])
  await runCli(context, ['list'])

  header('Stop the receiver and the sandbox')
  mark = listen.lines.length
  await Promise.all([listen.stop(), sandbox.stop()])
  for (const line of listen.lines.slice(mark)) if (line.stream === 'stdout') out(`  │ ${line.text}`)
  if (listen.exitCode !== 0)
    throw new DemoError(
      `The receiver exited with ${listen.exitSignal ?? listen.exitCode} when stopped, expected 0.${listen.tail()}`,
    )
  if (sandbox.exitCode !== 0)
    throw new DemoError(
      `The sandbox exited with ${sandbox.exitSignal ?? sandbox.exitCode} when stopped, expected 0.${sandbox.tail()}`,
    )
}

async function main() {
  const started = Date.now()
  const temp = mkdtempSync(join(tmpdir(), 'okta-hooks-demo-'))
  const home = join(temp, 'home')
  const cwd = join(temp, 'work')
  mkdirSync(home)
  mkdirSync(cwd)
  const context = {
    background: [],
    cwd,
    env: childEnv({
      CI: '1',
      DEMO_HOOK_SECRET: randomBytes(24).toString('base64'),
      HOME: home,
      USERPROFILE: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
    }),
  }

  let cleanedUp = false
  const cleanUp = async () => {
    if (cleanedUp) return
    cleanedUp = true
    await Promise.all(context.background.map((process) => process.stop()))
    rmSync(temp, {force: true, recursive: true})
  }

  let interruptedBy
  const interrupted = async (signal) => {
    interruptedBy = signal
    process.stderr.write(
      `\n${red('Interrupted')} (${signal}): stopping the demo's processes and removing its temporary files.\n`,
    )
    await cleanUp()
    process.exit(130)
  }

  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)

  try {
    out(bold('okta-hooks demo: an Okta event hook end to end, against a local sandbox org (no tunnel, no real org).'))
    ensureBuilt()
    await demo(context)
    await cleanUp()
    out()
    out(
      green(`✔ Demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`) +
        ' Against a real org: set OKTA_CLIENT_ORGURL and OKTA_CLIENT_TOKEN, use an https URL.',
    )
    process.exitCode = 0
  } catch (error) {
    await cleanUp()
    if (interruptedBy) return
    const message = error instanceof DemoError ? error.message : `Unexpected error: ${error?.message ?? error}`
    process.stderr.write(`\n${red('✖ The demo failed')}${stepNumber > 0 ? ` at step ${stepNumber}` : ''}: ${message}\n`)
    process.exitCode = 1
  }
}

await main()
