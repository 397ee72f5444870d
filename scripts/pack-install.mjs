/**
 * What a user installs, made the one way the package suite (test/package) and the bench measure
 * it: `npm pack` of a checkout, then `npm install --global --prefix` of that tarball into a
 * temporary prefix (npm's cache first; the registry for what is not cached).
 */
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

/** npm's environment without what `npm run` adds (prefix, lifecycle and package variables). */
export function npmEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^npm_/i.test(name) || /^npm_config_(cache|registry|userconfig)$/i.test(name),
    ),
  )
}

function timed(work) {
  const started = performance.now()
  const value = work()
  return [value, Math.round(performance.now() - started) / 1000]
}

/**
 * Packs `root` into `work` (its prepack builds dist/, as `npm publish` does, unless
 * `ignoreScripts`) and installs the tarball into `work/prefix`.
 */
export function packInto({ignoreScripts = false, root, work}) {
  const env = npmEnv()
  const npm = (args, cwd) => execFileSync('npm', args, {cwd, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe']})
  const packArgs = ['pack', '--json', ...(ignoreScripts ? ['--ignore-scripts'] : []), '--pack-destination', work]
  const [packed, pack] = timed(() => npm(packArgs, root))
  const tarball = join(work, JSON.parse(packed.slice(packed.indexOf('[')))[0].filename)
  const prefix = join(work, 'prefix')
  const installArgs = [
    'install',
    '--global',
    '--prefix',
    prefix,
    tarball,
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
  ]
  const [, install] = timed(() => npm([...installArgs, '--loglevel=error'], work))
  return {dir: join(prefix, 'lib', 'node_modules', 'okta-hooks'), prefix, seconds: {install, pack}, tarball}
}
