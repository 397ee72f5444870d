/**
 * Reading files of lines (NDJSON) of any size in constant memory: forward or from the end, one
 * chunk at a time, never the whole file as one string (V8 caps a string at 512 MiB). A line longer
 * than `maxLineBytes` (a foreign or corrupt file) is skipped without being kept. No oclif here.
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs'

export interface LineReadOptions {
  /** Bytes read per system call (default 1 MiB). */
  chunkBytes?: number
  /** Longer lines are skipped, unread into memory (default 64 MiB). */
  maxLineBytes?: number
}

const NEWLINE = 0x0a
const DEFAULTS = {chunkBytes: 1024 * 1024, maxLineBytes: 64 * 1024 * 1024}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let read = 0
  while (read < buffer.length) {
    const got = readSync(fd, buffer, read, buffer.length - read, position + read)
    if (got === 0) break
    read += got
  }

  return read
}

/** Pieces of one line, kept until the line is whole or too long to keep. */
class LineAssembler {
  private bytes = 0
  private pieces: Buffer[] = []
  private tooLong = false

  constructor(private readonly maxLineBytes: number) {}

  /** Adds a piece (copied: the read buffer is reused), at the end of the line or, reading backwards, at its start. */
  add(piece: Buffer, atStart = false): void {
    if (this.tooLong || piece.length === 0) return
    this.bytes += piece.length
    if (this.bytes > this.maxLineBytes) {
      this.tooLong = true
      this.pieces = []
    } else if (atStart) this.pieces.unshift(Buffer.from(piece))
    else this.pieces.push(Buffer.from(piece))
  }

  /** The whole line, `edge` being its last (or, reading backwards, first) piece; undefined when empty or too long. */
  take(edge: Buffer, atStart = false): Buffer | undefined {
    const skipped = this.tooLong || this.bytes + edge.length > this.maxLineBytes
    const line =
      skipped || this.bytes === 0 ? edge : Buffer.concat(atStart ? [edge, ...this.pieces] : [...this.pieces, edge])
    this.bytes = 0
    this.pieces = []
    this.tooLong = false
    return skipped || line.length === 0 ? undefined : line
  }
}

export interface BackwardReadOptions extends LineReadOptions {
  /** Only lines containing these bytes (which hold no newline), found at memchr speed: for lookups. */
  containing?: Buffer
}

/** The whole lines in chunk[start, end) (each ended by a newline at or before `end`), last first. */
function* wholeLinesBackward(chunk: Buffer, start: number, end: number, containing?: Buffer): Generator<Buffer> {
  if (!containing) {
    let lineEnd = end
    while (lineEnd > start) {
      const lineStart = chunk.lastIndexOf(NEWLINE, lineEnd - 1) + 1
      const from = Math.max(lineStart, start)
      if (lineEnd > from) yield chunk.subarray(from, lineEnd)
      lineEnd = from - 1
    }

    return
  }

  const found: [number, number][] = []
  for (let hit = chunk.indexOf(containing, start); hit !== -1 && hit < end;) {
    const lineStart = Math.max(chunk.lastIndexOf(NEWLINE, hit) + 1, start)
    const lineEnd = chunk.indexOf(NEWLINE, hit)
    found.push([lineStart, lineEnd])
    hit = chunk.indexOf(containing, lineEnd + 1)
  }

  for (let i = found.length - 1; i >= 0; i--) yield chunk.subarray(found[i][0], found[i][1])
}

/**
 * The file's lines from the last to the first, as Buffers without the newline; empty lines skipped.
 * A line is a view into a reused buffer, valid until the next one is asked for: copy it to keep it.
 */
export function* linesFromEnd(path: string, options: BackwardReadOptions = {}): Generator<Buffer> {
  const {chunkBytes, containing, maxLineBytes} = {...DEFAULTS, ...options}
  const wanted = (line: Buffer | undefined): line is Buffer =>
    line !== undefined && (!containing || line.includes(containing))
  const fd = openSync(path, 'r')
  try {
    const line = new LineAssembler(maxLineBytes)
    const buffer = Buffer.allocUnsafe(chunkBytes)
    let position = fstatSync(fd).size
    while (position > 0) {
      const size = Math.min(chunkBytes, position)
      position -= size
      const chunk = buffer.subarray(0, readFully(fd, buffer.subarray(0, size), position))
      const first = chunk.indexOf(NEWLINE)
      if (first === -1) {
        line.add(chunk, true)
        continue
      }

      const last = chunk.lastIndexOf(NEWLINE)
      const tail = line.take(chunk.subarray(last + 1), true)
      if (wanted(tail)) yield tail
      yield* wholeLinesBackward(chunk, first + 1, last, containing)
      line.add(chunk.subarray(0, first), true)
    }

    const head = line.take(Buffer.alloc(0), true)
    if (wanted(head)) yield head
  } finally {
    closeSync(fd)
  }
}

/** The file's lines from the first to the last, like linesFromEnd (views into a reused buffer). */
export function* linesFromStart(path: string, options: LineReadOptions = {}): Generator<Buffer> {
  const {chunkBytes, maxLineBytes} = {...DEFAULTS, ...options}
  const fd = openSync(path, 'r')
  try {
    const line = new LineAssembler(maxLineBytes)
    const chunk = Buffer.allocUnsafe(chunkBytes)
    let position = 0
    for (;;) {
      const got = readFully(fd, chunk, position)
      if (got === 0) break
      position += got
      let start = 0
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1 && nl < got; nl = chunk.indexOf(NEWLINE, start)) {
        const whole = line.take(chunk.subarray(start, nl))
        if (whole) yield whole
        start = nl + 1
      }

      line.add(chunk.subarray(start, got))
    }

    const last = line.take(Buffer.alloc(0))
    if (last) yield last
  } finally {
    closeSync(fd)
  }
}

export interface CountOptions extends Pick<LineReadOptions, 'chunkBytes'> {
  /** Count only the lines that start with this character (e.g. "{" for JSON objects). */
  startingWith?: string
}

/** How many (non-empty) lines the file has: counted, not parsed, in constant memory. */
export function countLines(path: string, options: CountOptions = {}): number {
  const chunkBytes = options.chunkBytes ?? DEFAULTS.chunkBytes
  const first = options.startingWith?.charCodeAt(0)
  const wanted = first === undefined ? (byte: number) => byte !== NEWLINE : (byte: number) => byte === first
  const fd = openSync(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes)
    let count = 0
    let position = 0
    let previous = NEWLINE // the byte before this chunk
    for (let got = readFully(fd, chunk, 0); got > 0; got = readFully(fd, chunk, position)) {
      position += got
      const view = got === chunk.length ? chunk : chunk.subarray(0, got)
      if (previous === NEWLINE && wanted(view[0])) count++
      for (let nl = view.indexOf(NEWLINE); nl !== -1 && nl + 1 < got; nl = view.indexOf(NEWLINE, nl + 1)) {
        if (wanted(view[nl + 1])) count++
      }

      previous = view[got - 1]
    }

    return count
  } finally {
    closeSync(fd)
  }
}

/** The offset just past the file's last newline (0 when it has none): where a torn last line starts. */
export function endOfLastLine(path: string, options: Pick<LineReadOptions, 'chunkBytes'> = {}): number {
  const chunkBytes = options.chunkBytes ?? DEFAULTS.chunkBytes
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes)
    let position = fstatSync(fd).size
    while (position > 0) {
      const size = Math.min(chunkBytes, position)
      position -= size
      const got = readFully(fd, buffer.subarray(0, size), position)
      const nl = buffer.subarray(0, got).lastIndexOf(NEWLINE)
      if (nl !== -1) return position + nl + 1
    }

    return 0
  } finally {
    closeSync(fd)
  }
}
