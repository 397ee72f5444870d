// Preloaded by scripts/bench.mjs (memory runs only): records the process's peak RSS at exit.
process.on('exit', () => {
  require('node:fs').appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`)
})
