/**
 * Shell completion scripts for bash, zsh and fish, written from the CLI's own commands (the
 * manifest, so they never drift from what the CLI accepts): commands, topics and their commands,
 * every flag of the command being typed, and the values of flags that have a fixed set (e.g.
 * `--status ACTIVE|INACTIVE`). Other arguments and flag values fall back to the shell's file names.
 * Knows nothing of oclif: src/commands/completion.ts builds the model.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

export interface CompletionFlag {
  char?: string
  multiple?: boolean
  name: string
  /** Its fixed values, if it has them. */
  options?: readonly string[]
  summary: string
  takesValue: boolean
}

export interface CompletionCommand {
  flags: CompletionFlag[]
  /** Its words, space-separated (`deliveries list`). */
  id: string
  summary: string
}

export interface CompletionModel {
  bin: string
  commands: CompletionCommand[]
  topics: {name: string; summary: string}[]
}

/** How to install each script: one command, run once. */
export function installCommand(shell: Shell, bin: string): string {
  switch (shell) {
    case 'bash': {
      return `${bin} completion bash >> ~/.bashrc   # or: ${bin} completion bash > ~/.local/share/bash-completion/completions/${bin}`
    }

    case 'fish': {
      return `${bin} completion fish > ~/.config/fish/completions/${bin}.fish`
    }

    case 'zsh': {
      return `${bin} completion zsh > "\${fpath[1]}/_${bin}"   # then start a new shell (compinit must be on)`
    }
  }
}

export function completionScript(shell: Shell, model: CompletionModel): string {
  const header = `# ${model.bin} completion for ${shell}, written by \`${model.bin} completion ${shell}\` from its own commands.\n# Install: ${installCommand(shell, model.bin)}\n`
  switch (shell) {
    case 'bash': {
      return header + bashScript(model)
    }

    case 'fish': {
      return header + fishScript(model)
    }

    case 'zsh': {
      return `#compdef ${model.bin}\n${header}${zshScript(model)}`
    }
  }
}

/** The words a command path can grow by: '' -> top-level commands and topics, 'deliveries' -> its commands. */
function children(model: CompletionModel): Map<string, {summary: string; word: string}[]> {
  const summaries = new Map([
    ...model.topics.map((t) => [t.name, t.summary] as const),
    ...model.commands.map((c) => [c.id, c.summary] as const),
  ])
  const paths = new Set([...model.topics.map((t) => t.name), ...model.commands.map((c) => c.id)])
  const out = new Map<string, {summary: string; word: string}[]>()
  for (const path of [...paths].sort()) {
    const words = path.split(' ')
    const parent = words.slice(0, -1).join(' ')
    out.set(parent, [...(out.get(parent) ?? []), {summary: summaries.get(path) ?? '', word: words.at(-1)!}])
  }

  return out
}

const knownPaths = (model: CompletionModel): string[] =>
  [...new Set([...model.topics.map((t) => t.name), ...model.commands.map((c) => c.id)])].sort()
const functionName = (bin: string): string => `_${bin.replaceAll(/\W/g, '_')}`
/** A shell single-quoted word (bash, zsh). */
const sq = (text: string): string => `'${text.replaceAll("'", String.raw`'\''`)}'`
const flagWords = (flag: CompletionFlag): string[] => [`--${flag.name}`, ...(flag.char ? [`-${flag.char}`] : [])]

function bashScript(model: CompletionModel): string {
  const fn = functionName(model.bin)
  const lines = [
    `${fn}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" flag="" cmd="" word i',
    '  # the command being typed: the leading words that name a command or a topic',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    word="${COMP_WORDS[i]}"',
    '    case "${cmd:+$cmd }$word" in',
    `      ${knownPaths(model)
      .map((path) => sq(path))
      .join('|')}) cmd="\${cmd:+$cmd }$word" ;;`,
    '      *) break ;;',
    '    esac',
    '  done',
    '  # the flag whose value is being typed (--flag value, --flag=value)',
    '  if [[ $cur == "=" ]]; then flag="${COMP_WORDS[COMP_CWORD-1]}"; cur=""',
    '  elif [[ ${COMP_WORDS[COMP_CWORD-1]} == "=" ]]; then flag="${COMP_WORDS[COMP_CWORD-2]}"',
    '  elif ((COMP_CWORD > 1)); then flag="${COMP_WORDS[COMP_CWORD-1]}"; fi',
    '  case "$cmd $flag" in',
  ]
  for (const command of model.commands) {
    for (const flag of command.flags.filter((f) => f.takesValue)) {
      const patterns = flagWords(flag)
        .map((word) => sq(`${command.id} ${word}`))
        .join('|')
      lines.push(
        flag.options
          ? `    ${patterns}) COMPREPLY=($(compgen -W ${sq(flag.options.join(' '))} -- "$cur")); return ;;`
          : `    ${patterns}) return ;;`,
      )
    }
  }

  lines.push('  esac', '  if [[ $cur == -* ]]; then', '    case "$cmd" in')
  for (const command of model.commands) {
    lines.push(
      `      ${sq(command.id)}) COMPREPLY=($(compgen -W ${sq(command.flags.flatMap((f) => flagWords(f)).join(' '))} -- "$cur")) ;;`,
    )
  }

  lines.push('    esac', '    return', '  fi', '  ((i == COMP_CWORD)) || return', '  case "$cmd" in')
  for (const [parent, words] of children(model))
    lines.push(`    ${sq(parent)}) COMPREPLY=($(compgen -W ${sq(words.map((w) => w.word).join(' '))} -- "$cur")) ;;`)
  lines.push('  esac', '}', `complete -o default -F ${fn} ${model.bin}`, '')
  return lines.join('\n')
}

/** A zsh _arguments description: no brackets, single quotes made safe. */
const zshText = (text: string): string => text.replaceAll(/[[\]]/g, '').replaceAll(':', String.raw`\:`)

function zshFlagSpec(flag: CompletionFlag): string {
  const value = flag.takesValue ? `:${flag.name}:${flag.options ? `(${flag.options.join(' ')})` : '_default'}` : ''
  const repeat = flag.multiple ? '*' : ''
  const description = `[${zshText(flag.summary)}]`
  if (!flag.char) return sq(`${repeat}--${flag.name}${flag.takesValue ? '=' : ''}${description}${value}`)
  const both = `(-${flag.char} --${flag.name})`
  return `${sq(`${flag.multiple ? '*' : both}`)}{-${flag.char},--${flag.name}${flag.takesValue ? '=' : ''}}${sq(`${description}${value}`)}`
}

function zshScript(model: CompletionModel): string {
  const fn = functionName(model.bin)
  const lines = [
    `${fn}() {`,
    '  local -i i=2',
    '  local cmd="" word',
    '  # the command being typed: the leading words that name a command or a topic',
    '  while (( i < CURRENT )); do',
    '    word=${words[i]}',
    '    case "${cmd:+$cmd }$word" in',
    `      (${knownPaths(model)
      .map((path) => sq(path))
      .join('|')}) cmd="\${cmd:+$cmd }$word" ;;`,
    '      (*) break ;;',
    '    esac',
    '    (( i++ ))',
    '  done',
    '  if (( i == CURRENT )) && [[ ${words[CURRENT]} != -* ]]; then',
    '    local -a subcommands',
    '    case "$cmd" in',
  ]
  for (const [parent, words] of children(model)) {
    lines.push(
      `      (${sq(parent)}) subcommands=(${words.map((w) => sq(`${w.word}:${w.summary.replaceAll(':', String.raw`\:`)}`)).join(' ')}) ;;`,
    )
  }

  lines.push(
    '    esac',
    `    if (( \${#subcommands} )); then _describe -t commands ${sq(`${model.bin} command`)} subcommands; return; fi`,
    '  fi',
    "  # the rest is the command's: its flags and arguments",
    '  words=("${words[1]}" "${(@)words[i,-1]}")',
    '  (( CURRENT -= i - 2 ))',
    '  case "$cmd" in',
  )
  for (const command of model.commands) {
    lines.push(
      `    (${sq(command.id)}) _arguments -s -S ${[...command.flags.map((flag) => zshFlagSpec(flag)), sq('*::argument:_default')].join(' ')} ;;`,
    )
  }

  lines.push(
    '  esac',
    '}',
    `if [[ \${funcstack[1]} == _${model.bin} ]]; then ${fn} "$@"; else compdef ${fn} ${model.bin}; fi`,
    '',
  )
  return lines.join('\n')
}

/** A fish single-quoted word. */
const fq = (text: string): string => `'${text.replaceAll('\\', '\\\\').replaceAll("'", String.raw`\'`)}'`

function fishScript(model: CompletionModel): string {
  const fn = functionName(model.bin)
  const c = `complete -c ${model.bin}`
  const lines = [
    `function ${fn}_command --description 'The ${model.bin} command being typed: the leading words that name a command or a topic'`,
    `    set -l known ${knownPaths(model)
      .map((path) => fq(path))
      .join(' ')}`,
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    "    set -l cmd ''",
    '    for word in $words',
    '        set -l next (string trim -- "$cmd $word")',
    '        contains -- $next $known; or break',
    '        set cmd $next',
    '    end',
    '    echo $cmd',
    'end',
    `function ${fn}_at --description 'Whether the command being typed is exactly argv[1]'`,
    `    test (${fn}_command) = "$argv[1]"`,
    'end',
    `${c} -f`,
  ]
  for (const [parent, words] of children(model)) {
    for (const word of words)
      lines.push(`${c} -n ${fq(`${fn}_at '${parent}'`)} -a ${fq(word.word)} -d ${fq(word.summary)}`)
  }

  for (const command of model.commands) {
    for (const flag of command.flags) {
      const value = flag.options ? ` -x -a ${fq(flag.options.join(' '))}` : flag.takesValue ? ' -r -F' : ''
      lines.push(
        `${c} -n ${fq(`${fn}_at '${command.id}'`)} -l ${flag.name}${flag.char ? ` -s ${flag.char}` : ''}${value} -d ${fq(flag.summary)}`,
      )
    }
  }

  lines.push('')
  return lines.join('\n')
}
