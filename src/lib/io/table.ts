/**
 * The one way okta-hooks prints a table (gh's convention). At a terminal: aligned columns, a header
 * line (bold when colour is on), no rules, and as wide as the terminal: the flexible columns (URLs,
 * event lists, messages) are cut with … first, unless --wide. Not at a terminal (a pipe, a file):
 * one tab-separated line per row under a tab-separated header line, nothing cut and no colour, so
 * that `cut -f` and `awk -F'\t'` work.
 */

/** Where a table goes: what okta-hooks knows of stdout and of the user's wishes. */
export interface Output {
  /** Colour and bold are allowed: a terminal, and neither NO_COLOR nor --no-color. */
  color: boolean
  /** The terminal's width in columns (80 when it does not say). */
  columns: number
  /** stdout is a terminal. */
  tty: boolean
  /** --wide: nothing is cut, whatever the terminal's width. */
  wide: boolean
}

export interface Column<T> {
  /** The cell; tab and line breaks in it become spaces. */
  cell: (row: T, output: Output) => string
  /**
   * Cut (with …) when the table is wider than the terminal; 'first' columns are cut to their minimum
   * before the other flexible ones are touched (an event list before a name or a URL).
   */
  flexible?: 'first' | true
  header: string
}

/** How far a flexible column may be cut: its header, and never below this many columns. */
const MIN_FLEXIBLE = 8
const GAP = '  '

/** stdout as okta-hooks sees it: NO_COLOR (any value but empty) and --no-color turn colour off. */
export function outputOf(
  stream: {columns?: number; isTTY?: boolean},
  options: {noColor?: boolean; wide?: boolean} = {},
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const tty = Boolean(stream.isTTY)
  const noColor = Boolean(options.noColor) || Boolean(env.NO_COLOR) || env.TERM === 'dumb'
  return {
    color: tty && !noColor,
    columns: stream.columns || Number(env.COLUMNS) || 80,
    tty,
    wide: Boolean(options.wide),
  }
}

/** Bold, when colour is on. */
export function bold(text: string, output: Pick<Output, 'color'>): string {
  return output.color ? `\u001B[1m${text}\u001B[22m` : text
}

/** Columns a string takes at a terminal: its code points, less combining marks and escape sequences. */
export function displayWidth(text: string): number {
  return [...text.replace(/\u001B\[[\d;]*m/g, '').replace(/\p{Mn}/gu, '')].length
}

/** `text` in at most `width` columns: cut with … when longer. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  if (width <= 1) return '…'.slice(0, width)
  return [...text].slice(0, width - 1).join('') + '…'
}

const flat = (text: string): string => text.replace(/[\t\r\n]+/g, ' ').trim()

export function renderTable<T>(columns: Column<T>[], rows: T[], output: Output): string {
  const cells = rows.map((row) => columns.map((column) => flat(column.cell(row, output))))
  if (!output.tty) return [columns.map((c) => c.header), ...cells].map((line) => line.join('\t')).join('\n')
  const widths = fitWidths(columns, cells, output)
  const line = (values: string[]) =>
    values
      .map((value, i) =>
        i === values.length - 1 ? truncate(value, widths[i]) : pad(truncate(value, widths[i]), widths[i]),
      )
      .join(GAP)
      .trimEnd()
  return [bold(line(columns.map((c) => c.header)), output), ...cells.map((values) => line(values))].join('\n')
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/**
 * Each column's width: its widest cell (or header); when the table is wider than the terminal, the
 * widest of the 'first' flexible columns, then of the other flexible ones, is narrowed one column at
 * a time until the table fits or they are at their minimum (then the terminal wraps what is left:
 * ids and statuses are never cut).
 */
function fitWidths<T>(columns: Column<T>[], cells: string[][], output: Output): number[] {
  const widths = columns.map((column, i) =>
    Math.max(displayWidth(column.header), ...cells.map((row) => displayWidth(row[i]))),
  )
  if (output.wide) return widths
  const minimum = columns.map((column) => Math.max(MIN_FLEXIBLE, displayWidth(column.header)))
  let excess = widths.reduce((sum, width) => sum + width, 0) + GAP.length * (columns.length - 1) - output.columns
  for (const round of ['first', true] as const) {
    while (excess > 0) {
      let widest = -1
      for (const [i, width] of widths.entries()) {
        if (columns[i].flexible === round && width > minimum[i] && (widest < 0 || width > widths[widest])) widest = i
      }

      if (widest < 0) break
      widths[widest]--
      excess--
    }
  }

  return widths
}
