/** The replay's progress line (stderr, at a terminal only) and its final summary, as text. */
import type {ReplayStats} from './replayer.js'

export function rate(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : 0
}

export function progressLine(stats: ReplayStats, elapsedMs: number, width = 24): string {
  const done = stats.delivered + stats.failed
  const ratio = stats.fetched > 0 ? Math.min(1, done / stats.fetched) : 0
  const filled = Math.round(ratio * width)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
  return `${bar} fetched ${stats.fetched} · delivered ${stats.delivered} · failed ${stats.failed} · ${rate(stats.sentThisRun, elapsedMs)} events/s`
}

export interface SummaryOptions {
  checkpoint?: string
  failures?: string
  /** The run was stopped by a signal: which, and the command that resumes it. */
  interrupted?: {resume: string; signal: string}
  target: string
}

export function summaryLines(stats: ReplayStats, options: SummaryOptions): string[] {
  if (stats.alreadyDone) {
    return [
      `The checkpoint ${options.checkpoint} says this window was already replayed (${stats.delivered} delivered, ${stats.failed} failed). Nothing sent.`,
      'For another window, use a new checkpoint file.',
    ]
  }

  if (options.interrupted) return [...interruptedLines(stats, options.interrupted, options.checkpoint), ...failureLines(stats, options)]

  const seconds = (stats.elapsedMs / 1000).toFixed(1)
  const lines = [
    `${stats.stoppedEarly ? 'Stopped' : 'Replayed'}: ${stats.delivered} delivered, ${stats.failed} failed, ${stats.fetched} fetched in ${stats.pages} page${stats.pages === 1 ? '' : 's'}, ${stats.batches} POST${stats.batches === 1 ? '' : 's'} to ${options.target} in ${seconds}s (${rate(stats.sentThisRun, stats.elapsedMs)} events/s).`,
  ]
  if (stats.resumed) lines.push(`Resumed from ${options.checkpoint}: ${stats.skipped} already acknowledged event${stats.skipped === 1 ? '' : 's'} of the first page skipped.`)
  lines.push(...failureLines(stats, options))
  if (stats.stoppedEarly && options.checkpoint) lines.push(`Resume with the same command (--checkpoint ${options.checkpoint}).`)
  return lines
}

function failureLines(stats: ReplayStats, options: SummaryOptions): string[] {
  const lines = stats.failures.map(
    (failure) =>
      `  failed: ${failure.events} event${failure.events === 1 ? '' : 's'} (${failure.uuids.slice(0, 3).join(', ')}${failure.uuids.length > 3 ? ', ...' : ''}): ${failure.explanation}`,
  )
  if (stats.failed > 0 && options.failures) lines.push(`The failed events are in ${options.failures}; resend them with \`okta-hooks preview <hook> --from-file ${options.failures}\`.`)
  return lines
}

/** What a run stopped by Ctrl-C or SIGTERM did, what it left, and how to go on. */
function interruptedLines(stats: ReplayStats, interrupted: {resume: string; signal: string}, checkpoint: string | undefined): string[] {
  const rest = stats.morePages ? ', and the rest of the window (not fetched yet)' : ''
  const lines = [
    `Interrupted (${interrupted.signal}): ${stats.delivered} delivered, ${stats.failed} failed, ${stats.left} fetched and left unsent${rest}.`,
  ]
  if (checkpoint) {
    lines.push(`The checkpoint ${checkpoint} holds where it stopped. Resume with:`, `  ${interrupted.resume}`)
  } else {
    lines.push('Without --checkpoint this run cannot be resumed: run it again with --checkpoint FILE to make the next one resumable (it starts the window over).')
  }

  return lines
}

/** A command line as a POSIX shell reads it back: words quoted where they need it. */
export function shellCommand(words: string[]): string {
  return words.map((word) => (/^[\w%+,./:=@-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)).join(' ')
}
