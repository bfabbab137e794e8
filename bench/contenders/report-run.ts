// Hands one contender's figures to bench/run.ts: a JSON line appended to BENCH_FIGURES_FILE when
// set (the contender's own stdout may carry logs), else printed on stdout.
import { appendFileSync } from 'node:fs';

export interface RunFigures {
  name: string;
  /** Input bytes (the log file, or the Firehose event's record data). */
  bytes: number;
  /** Lines (or Firehose records) read. */
  lines: number;
  /** Groups or call patterns produced. */
  groups: number;
  /** performance.now() when the timed work started. */
  started: number;
  /** process.cpuUsage() when the timed work started. */
  startedCpu: NodeJS.CpuUsage;
}

/** Wall and CPU seconds since the start, and the process's peak RSS. */
export function reportRun(figures: RunFigures): void {
  const seconds = (performance.now() - figures.started) / 1000;
  const cpu = process.cpuUsage(figures.startedCpu);
  const { maxRSS } = process.resourceUsage();
  const { startedCpu: _, ...shown } = figures;
  const line = `${JSON.stringify({
    ...shown,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: maxRSS / 1024,
  })}\n`;
  const target = process.env.BENCH_FIGURES_FILE;
  if (target === undefined || target === '') process.stdout.write(line);
  else appendFileSync(target, line);
}
