/**
 * What a user installs: `npm pack` of this checkout (its prepack builds dist/, as `npm publish`
 * does), then `npm install --global --prefix` of that tarball into a temporary prefix (npm's cache
 * first; the registry for what is not cached). Done once per run and shared by every case.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, dirname, join} from 'node:path'

import {type Env, type Launcher, ROOT} from '../../e2e/helpers/cli.js'

export interface InstalledPackage {
  /** The installed package folder (prefix/lib/node_modules/okta-hooks). */
  dir: string
  /** `okta-hooks`, found on PATH as a user's shell finds it: the prefix's bin, node's own folder, the system's. */
  launcher: Launcher
  prefix: string
  remove(): void
  seconds: {install: number; pack: number}
  tarball: string
}

/** npm's environment without what `npm run` adds (prefix, lifecycle and package variables). */
function npmEnv(): Env {
  const env: Env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(name) && !/^npm_config_(cache|registry|userconfig)$/i.test(name)) continue
    env[name] = value
  }

  return env
}

function timed<T>(work: () => T): [T, number] {
  const started = performance.now()
  const value = work()
  return [value, Math.round(performance.now() - started) / 1000]
}

export function packAndInstall(): InstalledPackage {
  const work = mkdtempSync(join(tmpdir(), 'okta-hooks-package-'))
  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', args, {cwd, encoding: 'utf8', env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe']})
  const [packed, pack] = timed(() => npm(['pack', '--json', '--pack-destination', work], ROOT))
  const tarball = join(work, JSON.parse(packed.slice(packed.indexOf('[')))[0].filename)
  const prefix = join(work, 'prefix')
  const [, install] = timed(() =>
    npm(
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        tarball,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      work,
    ),
  )
  const dir = join(prefix, 'lib', 'node_modules', 'okta-hooks')
  if (!existsSync(join(prefix, 'bin', 'okta-hooks')))
    throw new Error(`npm installed no okta-hooks binary into ${prefix}/bin`)
  const path = [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter)
  return {
    dir,
    launcher: {args: [], command: 'okta-hooks', env: {PATH: path}},
    prefix,
    remove: () => rmSync(work, {force: true, recursive: true}),
    seconds: {install, pack},
    tarball,
  }
}
