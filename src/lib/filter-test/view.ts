/**
 * `filter test` for people: a table of the events (result, type, time, uuid, why; no time at a
 * terminal unless --wide), or with
 * --verbose one block per event with the explanation, part by part. The summary line goes to stderr.
 */
import {explanationLines} from '../filters/index.js'
import {type Column, type Output, renderTable} from '../io/table.js'
import type {FilterTestEvent, FilterTestReport, FilterTestSummary} from './report.js'

const RESULT_WORDS: Record<string, string> = {false: 'not matched', null: 'undecided', true: 'matched'}

function resultOf(event: FilterTestEvent): string {
  return event.decision === 'skipped' ? 'skipped' : RESULT_WORDS[String(event.matched)]
}

const RESULT: Column<FilterTestEvent> = {cell: (e) => resultOf(e), header: 'RESULT'}
const EVENT_TYPE: Column<FilterTestEvent> = {cell: (e) => e.eventType ?? '', header: 'EVENT TYPE'}
const PUBLISHED: Column<FilterTestEvent> = {cell: (e) => e.published ?? '', header: 'PUBLISHED'}
const UUID: Column<FilterTestEvent> = {cell: (e) => e.uuid ?? '', header: 'UUID'}
const WHY: Column<FilterTestEvent> = {cell: (e) => e.reason, flexible: true, header: 'WHY'}

/**
 * Piped or --wide: every column. At a terminal: no PUBLISHED, and the event type cut before the
 * reason, so that a uuid (36 columns, never cut) and the reason fit in 80 columns.
 */
function columnsFor(output: Output): Column<FilterTestEvent>[] {
  if (!output.tty || output.wide) return [RESULT, EVENT_TYPE, PUBLISHED, UUID, WHY]
  return [RESULT, {...EVENT_TYPE, flexible: 'first'}, UUID, WHY]
}

export function renderFilterTest(report: FilterTestReport, options: {verbose: boolean}, output: Output): string {
  if (!options.verbose) return renderTable(columnsFor(output), report.events, output)
  return report.events.map((event) => eventBlock(event)).join('\n\n')
}

function eventBlock(event: FilterTestEvent): string {
  const head = [resultOf(event).toUpperCase(), event.eventType, event.uuid, event.published].filter(Boolean).join('  ')
  const lines = [head, `  ${event.reason}`]
  if (event.expression) lines.push(`  expression: ${event.expression}`)
  if (event.explanation) lines.push(...explanationLines(event.explanation).map((line) => `    ${line}`))
  if (event.problem) lines.push(`  okta-hooks cannot evaluate it: ${event.problem.message}`)
  return lines.join('\n')
}

/** "3 events: 2 matched, 1 not matched" (skipped and undecided only when there are some). */
export function filterTestSummaryLine(summary: FilterTestSummary): string {
  const parts = [`${summary.matched} matched`, `${summary.notMatched} not matched`]
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped (another event type)`)
  if (summary.undecided > 0) parts.push(`${summary.undecided} undecided (a filter okta-hooks cannot evaluate)`)
  return `${summary.events} event${summary.events === 1 ? '' : 's'}: ${parts.join(', ')}.`
}
