/**
 * `completion bash|zsh|fish`: the scripts are written from the commands themselves, pass each shell's
 * syntax check, and complete commands, topics, flags and flag values when driven as the shell
 * would drive them: bash through COMP_WORDS, fish through `complete -C`, zsh through its own
 * dispatch with _describe/_arguments recorded. Shells not installed here are named in the titles.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import Completion from '../../../src/commands/completion.js'
import {runCommand} from '../../helpers/run-command.js'

const installed = (shell: string): boolean => spawnSync(shell, ['--version'], {stdio: 'ignore'}).status === 0

describe('completion', function () {
  this.timeout(30_000)
  let dir: string
  const scripts: Record<string, string> = {}
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'okta-hooks-completion-'))
    for (const shell of ['bash', 'zsh', 'fish']) {
      const {error, exitCode, stdout} = await runCommand(Completion, [shell])
      expect([error, exitCode]).to.deep.equal([undefined, 0])
      scripts[shell] = join(dir, `okta-hooks.${shell}`)
      writeFileSync(scripts[shell], stdout)
    }
  })
  after(() => rmSync(dir, {force: true, recursive: true}))

  const sh = (shell: string, args: string[]) => {
    const result = spawnSync(shell, args, {encoding: 'utf8'})
    expect(result.status, result.stderr).to.equal(0)
    return result.stdout
  }

  it('--json gives the script and the one command that installs it; an unknown shell is refused (exit 2)', async () => {
    const {exitCode, json} = await runCommand(Completion, ['fish', '--json'])
    expect(exitCode).to.equal(0)
    expect(json.shell).to.equal('fish')
    expect(json.install).to.equal('okta-hooks completion fish > ~/.config/fish/completions/okta-hooks.fish')
    expect(json.script).to.contain('complete -c okta-hooks')
    const bad = await runCommand(Completion, ['powershell'])
    expect(bad.exitCode).to.equal(2)
    expect(bad.stderr).to.contain('bash, zsh, fish')
  })

  it('bash: passes bash -n, and completes commands, topics, flags and flag values', () => {
    sh('bash', ['-n', scripts.bash])
    const harness = [
      `source ${JSON.stringify(scripts.bash)}`,
      't() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=(); _okta_hooks; echo "${COMPREPLY[*]}"; }',
      't okta-hooks li',
      't okta-hooks deliveries l',
      't okta-hooks sandbox ""',
      't okta-hooks list --st',
      't okta-hooks list --status ""',
      't okta-hooks list --status = IN',
      't okta-hooks plan -f ""',
      't okta-hooks list --wide ""',
      'complete -p okta-hooks',
    ].join('\n')
    expect(sh('bash', ['-c', harness]).split('\n')).to.deep.equal([
      'list listen',
      'list',
      'emit start',
      '--status',
      'ACTIVE INACTIVE',
      'INACTIVE',
      '',
      '',
      'complete -o default -F _okta_hooks okta-hooks',
      '',
    ])
  })

  const zsh = installed('zsh')
  it(`zsh${zsh ? '' : ' (not installed here: not run)'}: passes zsh -n; the dispatch offers commands and hands each command its flags`, function () {
    if (!zsh) return
    sh('zsh', ['-n', scripts.zsh])
    const harness = [
      'compdef() { print -r -- "compdef $*" }',
      '_describe() { local -a all; all=("${(@P)4}"); print -r -- "describe ${(j: :)${(@)all%%:*}}" }',
      '_arguments() { print -r -- "arguments ${CURRENT} ${(j:|:)${(@M)@:#--status*}}" }',
      `source ${JSON.stringify(scripts.zsh)}`,
      't() { words=("$@"); CURRENT=${#words}; _okta_hooks }',
      't okta-hooks deliveries ""',
      't okta-hooks list --status ""',
    ].join('\n')
    expect(sh('zsh', ['-c', harness]).split('\n')).to.deep.equal([
      'compdef _okta_hooks okta-hooks',
      'describe clear list replay show',
      'arguments 3 --status=[Only hooks with this status.]:status:(ACTIVE INACTIVE)',
      '',
    ])
  })

  const fish = installed('fish')
  it(`fish${fish ? '' : ' (not installed here: not run)'}: passes fish --no-execute, and complete -C completes commands, flags and values`, function () {
    if (!fish) return
    sh('fish', ['--no-execute', scripts.fish])
    const complete = (line: string) =>
      sh('fish', ['--no-config', '-c', `source ${JSON.stringify(scripts.fish)}; complete -C '${line}'`])
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
    expect(complete('okta-hooks li')).to.deep.equal(['list', 'listen'])
    expect(complete('okta-hooks deliveries l')).to.deep.equal(['list'])
    expect(complete('okta-hooks list --st')).to.deep.equal(['--status'])
    expect(complete('okta-hooks list --status ')).to.deep.equal(['ACTIVE', 'INACTIVE'])
    expect(complete('okta-hooks logs --type d')).to.deep.equal(['deactivated', 'deleted', 'delivery'])
  })
})
