/** Types of scripts/pack-install.mjs, for the package suite. */
export function npmEnv(): Record<string, string | undefined>

export interface PackedAndInstalled {
  /** The installed package folder (prefix/lib/node_modules/okta-hooks). */
  dir: string
  prefix: string
  seconds: {install: number; pack: number}
  tarball: string
}

export function packInto(options: {ignoreScripts?: boolean; root: string; work: string}): PackedAndInstalled
