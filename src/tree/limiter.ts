/** Runs at most `max` tasks at once; queued tasks start in FIFO order. Cleared tasks are dropped before they start. */
export class Limiter {
  private active = 0;
  private queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  get pending(): number {
    return this.queue.length;
  }

  get running(): number {
    return this.active;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.active--;
            this.queue.shift()?.();
          });
      };
      if (this.active < this.max) start();
      else this.queue.push(start);
    });
  }

  /** Drops queued (not yet started) tasks; their promises never settle, so callers must not await them after clear. */
  clear(): void {
    this.queue = [];
  }
}
