// Prints one contender's figures as a JSON line for bench/run.ts to collect.

export interface RunFigures {
  name: string;
  bytes: number;
  lines: number;
  groups: number;
  started: number;
}

export function reportRun(figures: RunFigures): void {
  const seconds = (performance.now() - figures.started) / 1000;
  const { maxRSS } = process.resourceUsage();
  process.stdout.write(`${JSON.stringify({ ...figures, seconds, peakRssMb: maxRSS / 1024 })}\n`);
}
