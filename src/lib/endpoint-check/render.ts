/** The human view of an endpoint check: one aligned row per check, then the bottom line. */
import type {CheckResult, EndpointCheckReport} from './check-endpoint.js'

const LABEL = {fail: 'FAIL', pass: 'PASS', skip: 'SKIP', warn: 'WARN'} as const

export function renderCheckRow(check: CheckResult, titleWidth = 30): string {
  const time = check.latencyMs === undefined ? '-' : `${check.latencyMs} ms`
  return `${LABEL[check.status]}  ${check.title.padEnd(titleWidth)}${time.padStart(8)}  ${check.detail}`
}

export function renderCheckReport(report: EndpointCheckReport): string {
  const width = Math.max(...report.checks.map((c) => c.title.length)) + 2
  const lines = [`${'RESULT'}  ${'CHECK'.padEnd(width)}${'TIME'.padStart(8)}  DETAIL`, ...report.checks.map((check) => renderCheckRow(check, width))]
  const {counts} = report
  lines.push('', `${counts.pass} passed, ${counts.warn} warned, ${counts.fail} failed, ${counts.skip} skipped.`)
  lines.push(report.ok ? `${report.url} answers as Okta requires${counts.warn > 0 ? ' (see the warnings)' : ''}.` : `Okta would not accept ${report.url} as it is: fix the failed checks.`)
  return lines.join('\n')
}
