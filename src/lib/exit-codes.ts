/**
 * The process exit codes okta-hooks promises to scripts. Documented in the README; never renumber.
 */
export const ExitCode = {
  /** Everything asked for was done. */
  Success: 0,
  /** A bug or an error nobody anticipated. */
  Unexpected: 1,
  /** Bad flags, arguments or input; or a prompt was needed but nobody was there to answer it. */
  Usage: 2,
  /** Okta refused the credentials (401) or the permission (403), or OAuth failed. */
  Auth: 3,
  /** The hook (or another resource) does not exist. */
  NotFound: 4,
  /**
   * A verification or delivery check failed: Okta could not verify the hook, or an endpoint did not answer as Okta
   * requires.
   */
  CheckFailed: 5,
  /**
   * Okta or the network kept failing after retries (5xx, timeouts, connection errors, rate limits beyond the wait
   * budget).
   */
  Remote: 6,
  /** `plan --detailed-exitcode`: the org differs from the hooks file; an apply would change something. */
  ChangesPending: 7,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM before the end (128 + SIGINT's 2, as shells report it). */
  Interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODE_DESCRIPTIONS: Record<ExitCodeValue, string> = {
  0: 'success',
  1: 'unexpected error',
  2: 'invalid usage or input (including a prompt that could not be shown)',
  3: 'authentication or permission failure',
  4: 'not found',
  5: 'verification or delivery check failed',
  6: 'Okta or network failure after retries',
  7: 'changes pending (plan --detailed-exitcode)',
  130: 'interrupted (Ctrl-C or SIGTERM)',
}
