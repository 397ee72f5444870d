import {ExitCode, type ExitCodeValue} from './exit-codes.js'

export interface CliErrorOptions {
  /** Machine-readable code: Okta's errorCode (E0000001) or one of ours (USAGE, NOT_FOUND, ...). */
  code?: string
  exitCode?: ExitCodeValue
  /** Okta's errorCauses, or any other list of reasons. */
  causes?: string[]
  /** What the user can do about it. */
  suggestions?: string[]
  /** Extra machine-readable data for --json. Must never contain secrets. */
  details?: Record<string, unknown>
  /**
   * What a command with a verdict (preview, replay, check-endpoint...) found before it failed: under
   * --json its fields are printed beside `error`, in the same document.
   */
  result?: object
  cause?: unknown
}

/**
 * The one error type commands and domain modules throw on purpose. The base command turns it
 * into a message on stderr (or a JSON document under --json) and its exit code.
 */
export class CliError extends Error {
  readonly code: string
  readonly exitCode: ExitCodeValue
  readonly causes: string[]
  readonly suggestions: string[]
  readonly details?: Record<string, unknown>
  readonly result?: object

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'CliError'
    this.code = options.code ?? 'ERROR'
    this.exitCode = options.exitCode ?? ExitCode.Unexpected
    this.causes = options.causes ?? []
    this.suggestions = options.suggestions ?? []
    this.details = options.details
    this.result = options.result
  }

  /** The same error carrying what a verdict command found (printed beside `error` under --json). */
  withResult(result: object): CliError {
    const {causes, code, details, exitCode, suggestions} = this
    return new CliError(this.message, {cause: this.cause, causes, code, details, exitCode, result, suggestions})
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      exitCode: this.exitCode,
      ...(this.causes.length > 0 ? {causes: this.causes} : {}),
      ...(this.suggestions.length > 0 ? {suggestions: this.suggestions} : {}),
      ...(this.details ? {details: this.details} : {}),
    }
  }
}

export function usageError(message: string, suggestions: string[] = []): CliError {
  return new CliError(message, {code: 'USAGE', exitCode: ExitCode.Usage, suggestions})
}

export function notFoundError(message: string, suggestions: string[] = []): CliError {
  return new CliError(message, {code: 'NOT_FOUND', exitCode: ExitCode.NotFound, suggestions})
}

export function checkFailedError(message: string, options: Omit<CliErrorOptions, 'exitCode'> = {}): CliError {
  return new CliError(message, {code: 'CHECK_FAILED', ...options, exitCode: ExitCode.CheckFailed})
}
