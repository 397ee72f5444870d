// Preloaded by scripts/bench.mjs (CPU runs only): records the process's CPU time (user + system, µs) at exit.
process.on('exit', () => {
  const {systemCPUTime, userCPUTime} = process.resourceUsage()
  require('node:fs').writeFileSync(process.env.BENCH_CPU_FILE, `${userCPUTime + systemCPUTime}\n`)
})
