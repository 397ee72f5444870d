/**
 * Runs one okta-hooks command in-process, the way bin/run.js would, and captures what it wrote.
 * It never throws for the command's failures: check `error`/`exitCode` in every test. A --json run
 * of a real command is checked against its schema in schemas/ (test/helpers/json-contract.ts): a
 * run whose output breaks it fails the test.
 */
import {Config} from '@oclif/core'
import {appendFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {resetStdin, stdinSource} from '../../src/lib/io/stdin.js'
import {forgetSecrets} from '../../src/lib/secrets/registry.js'
import {assertJsonContract, commandIdOf} from './json-contract.js'

let config: Config | undefined

export interface RunResult<T = any> {
  error?: Error
  exitCode: number
  /** stdout parsed as JSON, when it is JSON. */
  json?: any
  result?: T
  stderr: string
  stdout: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  /** For a test that breaks the contract on purpose; every other --json run is checked against schemas/. */
  skipJsonContract?: boolean
  /** What the command reads from stdin (--token-stdin, --auth-secret-stdin). */
  stdin?: string
}

export async function runCommand<T = any>(
  CommandClass: any,
  argv: string[],
  options: RunOptions = {},
): Promise<RunResult<T>> {
  config ??= await Config.load(fileURLToPath(new URL('../..', import.meta.url)))
  const saved: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(options.env ?? {})) {
    saved[key] = process.env[key]
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }

  resetStdin()
  forgetSecrets()
  const originalRead = stdinSource.read
  stdinSource.read = async () => {
    if (options.stdin === undefined) throw new Error('test gave no stdin')
    return options.stdin
  }

  let stdout = ''
  let stderr = ''
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: any) => {
    stdout += chunk.toString()
    return true
  }) as any
  process.stderr.write = ((chunk: any) => {
    stderr += chunk.toString()
    return true
  }) as any

  let result: T | undefined
  let error: Error | undefined
  process.exitCode = undefined
  try {
    result = await CommandClass.run(argv, config)
  } catch (error_) {
    error = error_ as Error
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    stdinSource.read = originalRead
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }

  const exitCode = Number((error as any)?.oclif?.exit ?? process.exitCode ?? (error ? 1 : 0))
  process.exitCode = undefined
  const id = commandIdOf(CommandClass)
  if (id && argv.includes('--json') && !options.skipJsonContract) {
    if (process.env.JSON_CONTRACT_RECORD)
      appendFileSync(process.env.JSON_CONTRACT_RECORD, JSON.stringify({argv, exitCode, id, stdout}) + '\n')
    else assertJsonContract({exitCode, id, stdout}, argv)
  }

  let json: any
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }

  return {error, exitCode, json, result, stderr, stdout}
}

/** Environment for a command that talks to the test org. The token is obviously fake. */
export const ORG = 'https://test-org.okta.example'
export const TEST_TOKEN = '00test-token-not-real-0000000000000000000'
export const orgEnv = {OKTA_CLIENT_ORGURL: ORG, OKTA_CLIENT_TOKEN: TEST_TOKEN}
