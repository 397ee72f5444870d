/**
 * The thin base every okta-hooks command extends: global flags, --json, one catch() that turns
 * any error into a clear message (or a JSON error document) and a documented exit code, and the
 * rule for when a person may be asked a question.
 */
import {Command, Flags, Interfaces} from '@oclif/core'

import {CliError, usageError} from '../lib/errors.js'
import {ExitCode, type ExitCodeValue} from '../lib/exit-codes.js'
import {type Output, outputOf} from '../lib/io/table.js'
import {redactKnownSecrets} from '../lib/secrets/registry.js'
import {withFlagSuggestion} from './flag-suggestion.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<T['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    debug: Flags.boolean({
      description: 'Show every HTTP request and response on stderr, secrets masked.',
      helpGroup: 'GLOBAL',
    }),
    'no-color': Flags.boolean({
      description: 'No colour or bold (as NO_COLOR=1 does); there is none anyway when stdout is not a terminal.',
      helpGroup: 'GLOBAL',
    }),
  }

  static override enableJsonFlag = true

  protected args!: CommandArgs<T>
  protected flags!: CommandFlags<T>
  /** Every positional argument, for commands with `strict = false` (several hooks). */
  protected positionals: string[] = []

  override async catch(error: Error & {code?: string; oclif?: {exit?: number}}): Promise<any> {
    if (error?.code === 'EEXIT') throw error // this.exit(): not an error
    const cliError = toCliError(error)
    process.exitCode = cliError.exitCode
    if (this.jsonEnabled()) {
      this.logJson(errorDocument(cliError))
      return
    }

    process.stderr.write(errorText(cliError, this.isDebug() ? error.stack : undefined) + '\n')
  }

  /**
   * Whether a person can be asked: a terminal on stdin and stderr, and none of --json, --yes or
   * CI. Prompts render on stderr, so stdout may be piped.
   */
  protected canPrompt(): boolean {
    const flags = (this.flags ?? {}) as Record<string, unknown>
    if (flags.json || flags.yes || isCi(process.env)) return false
    return Boolean(process.stdin.isTTY && process.stderr.isTTY)
  }

  public override async init(): Promise<void> {
    await super.init()
    const {args, argv, flags} = await this.parse({
      args: argsWithoutStdin(this.ctor.args),
      baseFlags: this.ctor.baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    }).catch((error) => {
      throw withFlagSuggestion(error, {...this.ctor.baseFlags, ...this.ctor.flags}, this.ctor.enableJsonFlag)
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    this.positionals = argv as string[]
  }

  /** A note that is not data ("No event hooks match."): stderr, and not under --json. */
  protected inform(message: string): void {
    if (!this.jsonEnabled()) this.notice(message)
  }

  /** stdout as tables see it (src/lib/io/table.ts): a terminal or not, its width, colour, --wide. */
  protected output(): Output {
    const flags = (this.flags ?? {}) as Record<string, unknown>
    return outputOf(process.stdout, {noColor: Boolean(flags['no-color']), wide: Boolean(flags.wide)})
  }

  protected isDebug(): boolean {
    return Boolean((this.flags as Record<string, unknown> | undefined)?.debug)
  }

  /**
   * The contract's safety net: a run that returned a result but set a failing exit code still gets
   * an `error` beside its fields. Commands fail by throwing a CliError (with `result` for a verdict).
   */
  override toSuccessJson(result: unknown): unknown {
    const exitCode = Number(process.exitCode ?? 0)
    if (exitCode === 0) return result
    const message = `${this.id ?? 'The command'} failed (exit ${exitCode}).`
    return errorDocument(
      new CliError(message, {code: 'FAILED', exitCode: exitCode as ExitCodeValue, result: result as object}),
    )
  }

  /**
   * A line on stdout (not under --json). A plain string is written as it is: oclif's own log goes
   * through console.log and util.format, whose first use costs ~1 ms of compiling Node's own code.
   */
  override log(message = '', ...args: any[]): void {
    if (args.length > 0 || typeof message !== 'string') super.log(redactKnownSecrets(message), ...args)
    else if (!this.jsonEnabled()) process.stdout.write(redactKnownSecrets(message) + '\n')
  }

  /**
   * Under --json: one document, or for a stream (jsonLines()) one compact line, so that a stream's
   * final summary or error is one more NDJSON line.
   */
  override logJson(json: unknown): void {
    if (this.jsonLines()) this.jsonLine(json)
    else process.stdout.write(redactKnownSecrets(JSON.stringify(json, null, 2)) + '\n')
  }

  /**
   * One NDJSON line on stdout (streams: listen, logs --follow, sandbox start). `value` may be JSON
   * text already (listen splices an envelope too deep for JSON.stringify into its line).
   */
  protected jsonLine(value: unknown, options: {serialized?: boolean} = {}): void {
    const text = options.serialized ? String(value) : JSON.stringify(value)
    process.stdout.write(redactKnownSecrets(text) + '\n')
  }

  /** Whether this run's --json output is NDJSON (a stream of lines) rather than one document. */
  protected jsonLines(): boolean {
    return false
  }

  /** Progress, warnings and waits: always stderr, even under --json (stdout stays one JSON document). */
  protected notice(message: string): void {
    process.stderr.write(redactKnownSecrets(message) + '\n')
  }

  /** Stops with a usage error naming the flag when nobody can be asked for the value. */
  protected requirePrompt(flag: string, what: string): void {
    if (this.canPrompt()) return
    throw usageError(`Missing ${flag}: ${what}.`, [
      `Pass ${flag}; okta-hooks asks only when a person is at a terminal (not with --json, --yes, CI set, or no TTY)`,
    ])
  }

  /**
   * For commands that stop cleanly on Ctrl-C (replay): `signal` is aborted by the first SIGINT or
   * SIGTERM, with the signal's name as its reason; a second one exits at once with 130. Call
   * dispose() once done, so that the next signal does what it does by default again.
   */
  protected stopOnSignal(onFirst?: (signal: NodeJS.Signals) => void): {dispose: () => void; signal: AbortSignal} {
    const controller = new AbortController()
    const stop = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(ExitCode.Interrupted)
      controller.abort(signal)
      onFirst?.(signal)
    }

    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    const dispose = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }

    return {dispose, signal: controller.signal}
  }

  /** For long-running commands (listen, sandbox start): resolves on the first SIGINT or SIGTERM. */
  protected waitForStopSignal(): Promise<NodeJS.Signals> {
    const stop = this.stopOnSignal()
    return new Promise((resolve) => {
      stop.signal.addEventListener('abort', () => {
        stop.dispose()
        resolve(stop.signal.reason as NodeJS.Signals)
      })
    })
  }

  protected warnUser(message: string): void {
    this.notice(`Warning: ${message}`)
  }
}

/** Whether CI says this is a CI run: set, and not empty, `false` or `0`. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase()
  return Boolean(value) && value !== 'false' && value !== '0'
}

/**
 * The --json document of a failure: `error` at the top level, beside the fields of what a verdict
 * command found (its result) when there is one.
 */
export function errorDocument(error: CliError): Record<string, unknown> {
  return {...(error.result ?? {}), error: error.toJSON()}
}

/** A failure as people read it on stderr (secrets redacted); `stack` with --debug, for an unexpected error. */
export function errorText(cliError: CliError, stack?: string): string {
  const lines = [`Error: ${cliError.message}`]
  for (const cause of cliError.causes) lines.push(`  - ${cause}`)
  for (const suggestion of cliError.suggestions) lines.push(`  Try: ${suggestion}`)
  if (stack && cliError.exitCode === ExitCode.Unexpected) lines.push(stack)
  else if (cliError.exitCode === ExitCode.Unexpected) lines.push('  Run again with --debug for details.')
  return redactKnownSecrets(lines.join('\n'))
}

/**
 * The command's arguments as oclif should parse them: never from stdin. oclif reads stdin (waiting up to 10 ms
 * when it is a pipe) for an argument not given, so `printf %s "$TOKEN" | okta-hooks export --token-stdin` lost
 * the token to the HOOK argument; stdin is read only where a flag says so (--token-stdin, --file -, ...).
 */
function argsWithoutStdin(args: Interfaces.ArgInput | undefined): Interfaces.ArgInput {
  return Object.fromEntries(Object.entries(args ?? {}).map(([name, arg]) => [name, {...arg, ignoreStdin: true}]))
}

/** Any error as the CliError the user sees. oclif's own parse errors are usage errors (exit 2). */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return withoutParseWrapper(error)
  const err = error as Error & {code?: string; name?: string; oclif?: {exit?: number}}
  if (err?.name === 'ExitPromptError' || err?.name === 'AbortPromptError') {
    return new CliError('Cancelled.', {code: 'CANCELLED', exitCode: ExitCode.Usage})
  }

  if (err?.oclif?.exit !== undefined) {
    const message = String(err.message ?? err).replace(/\n\s*See more help with --help$/, '')
    return new CliError(message, {
      code: 'USAGE',
      exitCode: err.oclif.exit === 0 ? ExitCode.Success : ExitCode.Usage,
      suggestions: ['See --help for the flags and examples'],
    })
  }

  return new CliError(`Unexpected error: ${err?.message ?? String(error)}`, {
    code: 'UNEXPECTED',
    exitCode: ExitCode.Unexpected,
  })
}

/** What a flag's parse() threw, without oclif's "Parsing --flag" wrapper: our messages name the flag already. */
function withoutParseWrapper(error: CliError): CliError {
  const wrapped = /^Parsing --[\w-]+ \n\t([\s\S]*)\nSee more help with --help$/.exec(error.message)
  if (wrapped) error.message = wrapped[1]
  return error
}
