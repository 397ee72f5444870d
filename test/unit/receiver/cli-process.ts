/**
 * Runs okta-hooks from src/ in a child process (the way bin/dev.js does, but ignoring any
 * oclif.manifest.json a build left behind, which would hide commands added since), for tests that
 * need a real process: signals, stdout/stderr streams, a server that keeps running.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

// Loads the command class straight from src/commands and runs it as oclif's runCommand would, then
// flushes and handles errors as bin/run.js's execute() does.
const BOOT = `import {Config, flush, handle} from '@oclif/core'
const [id, ...argv] = JSON.parse(process.env.OKTA_HOOKS_TEST_ARGS)
const root = ${JSON.stringify(ROOT)}
try {
  const config = await Config.load(root)
  const {default: Command} = await import(root + '/src/commands/' + id.split(' ').join('/') + '.ts')
  await Command.run(argv, config)
  await flush()
} catch (error) {
  await handle(error)
}`

export interface CliProcess {
  child: ChildProcess
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
  stderr: () => string
  stdout: () => string
  /** Resolves once stderr (or stdout) has a line matching the pattern; rejects if the process ends first. */
  waitFor: (pattern: RegExp, stream?: 'stderr' | 'stdout') => Promise<RegExpMatchArray>
}

/** args: the command id ("listen", "deliveries list") and its argv. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', BOOT], {
    cwd: ROOT,
    env: {...process.env, ...env, OKTA_HOOKS_TEST_ARGS: JSON.stringify(args)},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const out = {stderr: '', stdout: ''}
  const waiters: (() => void)[] = []
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter()
  }

  child.stdout!.on('data', (chunk) => {
    out.stdout += chunk
    wake()
  })
  child.stderr!.on('data', (chunk) => {
    out.stderr += chunk
    wake()
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    wake()
    resolve(code)
  }))
  let ended = false
  exited.then(() => (ended = true))

  const waitFor = (pattern: RegExp, stream: 'stderr' | 'stdout' = 'stderr') =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = out[stream].match(pattern)
        if (match) resolve(match)
        else if (ended) reject(new Error(`process ended without ${pattern}; stderr: ${out.stderr}; stdout: ${out.stdout}`))
        else waiters.push(check)
      }

      check()
    })

  child.stdin!.end()
  return {child, exited, stderr: () => out.stderr, stdout: () => out.stdout, waitFor}
}
