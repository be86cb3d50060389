interface Queued {
  start: () => void;
  priority: number;
  seq: number;
}

/**
 * Runs at most `max` tasks at once. Queued tasks start by priority (higher first), then in FIFO order, so the list
 * a person expanded last fills in first even while an earlier, longer one is still queued. Cleared tasks are
 * dropped before they start.
 */
export class Limiter {
  private active = 0;
  private queue: Queued[] = [];
  private seq = 0;

  constructor(private readonly max: number) {}

  get pending(): number {
    return this.queue.length;
  }

  get running(): number {
    return this.active;
  }

  run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.active--;
            this.next();
          });
      };
      if (this.active < this.max) start();
      else this.enqueue({ start, priority, seq: this.seq++ });
    });
  }

  /** Drops queued (not yet started) tasks; their promises never settle, so callers must not await them after clear. */
  clear(): void {
    this.queue = [];
  }

  private enqueue(q: Queued): void {
    // Keep the queue sorted: priority descending, then arrival order. Most inserts land at the end.
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.priority < q.priority) i--;
    this.queue.splice(i, 0, q);
  }

  private next(): void {
    this.queue.shift()?.start();
  }
}
