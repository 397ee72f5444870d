/** The human view of an endpoint check: one row per check, then the bottom line. */
import {type Column, type Output, outputOf, renderTable} from '../io/table.js'
import type {CheckResult, EndpointCheckReport} from './check-endpoint.js'

const LABEL = {fail: 'FAIL', pass: 'PASS', skip: 'SKIP', warn: 'WARN'} as const

export function renderCheckRow(check: CheckResult, titleWidth = 30): string {
  const time = check.latencyMs === undefined ? '-' : `${check.latencyMs} ms`
  return `${LABEL[check.status]}  ${check.title.padEnd(titleWidth)}${time.padStart(8)}  ${check.detail}`
}

const CHECK_COLUMNS: Column<CheckResult>[] = [
  {cell: (check) => LABEL[check.status], header: 'RESULT'},
  {cell: (check) => check.title, header: 'CHECK'},
  {cell: (check) => (check.latencyMs === undefined ? '-' : `${check.latencyMs} ms`), header: 'TIME'},
  {cell: (check) => check.detail, flexible: true, header: 'DETAIL'},
]

/** The report: its checks as a table (src/lib/io/table.ts), then the counts and the verdict. */
export function renderCheckReport(report: EndpointCheckReport, output: Output = outputOf(process.stdout)): string {
  const {counts} = report
  return [
    renderTable(CHECK_COLUMNS, report.checks, output),
    '',
    `${counts.pass} passed, ${counts.warn} warned, ${counts.fail} failed, ${counts.skip} skipped.`,
    report.ok
      ? `${report.url} answers as Okta requires${counts.warn > 0 ? ' (see the warnings)' : ''}.`
      : `Okta would not accept ${report.url} as it is: fix the failed checks.`,
  ].join('\n')
}
