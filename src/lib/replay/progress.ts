/** The replay's progress line (stderr, at a terminal only) and its final summary, as text. */
import type {ReplayStats} from './replayer.js'
import type {Exclusion} from './selection.js'

const EXCLUSION_WORDS: Record<Exclusion, string> = {
  notListed: 'not missing',
  notRouted: 'not routed to the hook',
  skippedByFilter: 'skipped by filter',
  withoutRouting: 'without a routing record',
}

/**
 * "Not sent: skipped by filter: 2, not routed to the hook: 1." (the counts that are not 0, and those in `always`), or
 * nothing.
 */
export function exclusionLine(stats: ReplayStats, always: Exclusion[] = []): string | undefined {
  const parts = (Object.keys(EXCLUSION_WORDS) as Exclusion[])
    .filter((name) => stats[name] > 0 || always.includes(name))
    .map((name) => `${EXCLUSION_WORDS[name]}: ${stats[name]}`)
  return parts.length > 0 ? `Not sent: ${parts.join(', ')}.` : undefined
}

export function rate(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : 0
}

/** "3 accepted, 1 rejected, 0 failed": the events by Okta's verdict on their delivery. */
export function verdictCounts(stats: Pick<ReplayStats, 'accepted' | 'failed' | 'rejected'>, separator = ', '): string {
  return [`${stats.accepted} accepted`, `${stats.rejected} rejected`, `${stats.failed} failed`].join(separator)
}

export function progressLine(stats: ReplayStats, elapsedMs: number, width = 24): string {
  const done = stats.accepted + stats.rejected + stats.failed
  const ratio = stats.fetched > 0 ? Math.min(1, done / stats.fetched) : 0
  const filled = Math.round(ratio * width)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
  return (
    `${bar} fetched ${stats.fetched} · ${verdictCounts(stats, ' · ')} ` +
    `· ${rate(stats.sentThisRun, elapsedMs)} events/s`
  )
}

export interface SummaryOptions {
  /** Exclusion counts to show even when 0 (skippedByFilter when the hook's filters were applied). */
  alwaysShow?: Exclusion[]
  checkpoint?: string
  failures?: string
  /** The run was stopped by a signal: which, and the command that resumes it. */
  interrupted?: {resume: string; signal: string}
  target: string
}

export function summaryLines(stats: ReplayStats, options: SummaryOptions): string[] {
  if (stats.alreadyDone) {
    return [
      `The checkpoint ${options.checkpoint} says this window was already ` +
        `replayed (${verdictCounts(stats)}). Nothing sent.`,
      'For another window, use a new checkpoint file.',
    ]
  }

  if (options.interrupted)
    return [...interruptedLines(stats, options.interrupted, options.checkpoint), ...failureLines(stats, options)]

  const seconds = (stats.elapsedMs / 1000).toFixed(1)
  const pages = `${stats.fetched} fetched in ${plural(stats.pages, 'page')}`
  const posts =
    `${plural(stats.batches, 'POST')} to ${options.target} in ${seconds}s ` +
    `(${rate(stats.sentThisRun, stats.elapsedMs)} events/s)`
  const lines = [`${stats.stoppedEarly ? 'Stopped' : 'Replayed'}: ${verdictCounts(stats)}, ${pages}, ${posts}.`]
  const excluded = exclusionLine(stats, options.alwaysShow)
  if (excluded) lines.push(excluded)
  if (stats.resumed) {
    lines.push(
      `Resumed from ${options.checkpoint}: ${plural(stats.skipped, 'already acknowledged event')} of the first ` +
        `page skipped.`,
    )
  }
  lines.push(...failureLines(stats, options))
  if (stats.stoppedEarly && options.checkpoint)
    lines.push(`Resume with the same command (--checkpoint ${options.checkpoint}).`)
  return lines
}

function failureLines(stats: ReplayStats, options: SummaryOptions): string[] {
  const lines = stats.failures.map((failure) => {
    const uuids = `${failure.uuids.slice(0, 3).join(', ')}${failure.uuids.length > 3 ? ', ...' : ''}`
    return `  ${failure.verdict}: ${plural(failure.events, 'event')} (${uuids}): ${failure.explanation}`
  })
  if (stats.failed + stats.rejected > 0 && options.failures) {
    const resend = `okta-hooks preview <hook> --from-file ${options.failures}`
    lines.push(`The events not accepted are in ${options.failures}; resend them with \`${resend}\`.`)
  }

  return lines
}

/** What a run stopped by Ctrl-C or SIGTERM did, what it left, and how to go on. */
function interruptedLines(
  stats: ReplayStats,
  interrupted: {resume: string; signal: string},
  checkpoint: string | undefined,
): string[] {
  const rest = stats.morePages ? ', and the rest of the window (not fetched yet)' : ''
  const lines = [
    `Interrupted (${interrupted.signal}): ${verdictCounts(stats)}, ${stats.left} fetched and left unsent${rest}.`,
  ]
  if (checkpoint) {
    lines.push(`The checkpoint ${checkpoint} holds where it stopped. Resume with:`, `  ${interrupted.resume}`)
  } else {
    lines.push(
      'Without --checkpoint this run cannot be resumed: run it again with ' +
        '--checkpoint FILE to make the next one resumable' +
        ' (it starts the window over).',
    )
  }

  return lines
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** A command line as a POSIX shell reads it back: words quoted where they need it. */
export function shellCommand(words: string[]): string {
  return words.map((word) => (/^[\w%+,./:=@-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)).join(' ')
}
