// A progress bar on stderr. On a terminal it redraws one line; without one (CI, pipes) it prints
// a plain line at every 25% of an epoch so logs stay short but show that work goes on.
export interface ProgressSink {
  write(s: string): void;
  isTTY?: boolean;
}

export class ProgressBar {
  private lastQuarter = -1;
  private started = performance.now();

  constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
    private readonly width = 28,
  ) {}

  update(done: number, total: number, extra = ''): void {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    if (this.sink.isTTY) {
      const filled = Math.round(frac * this.width);
      const secs = (performance.now() - this.started) / 1000;
      const eta = frac > 0 ? secs / frac - secs : 0;
      this.sink.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${done}/${total} ${extra} eta ${eta.toFixed(0)}s\x1b[K`,
      );
      if (done >= total) this.sink.write('\n');
      return;
    }
    const quarter = Math.floor(frac * 4);
    if (quarter > this.lastQuarter) {
      this.lastQuarter = quarter;
      this.sink.write(`${this.label} ${Math.round(frac * 100)}% (${done}/${total}) ${extra}\n`);
    }
  }
}
