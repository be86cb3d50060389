/** The request log every fake exposes as `requests`: an array tests read directly, trimmed to its newest entries. */
export class RequestLog<E> {
  /** The live array (tests hold on to it), oldest first. */
  readonly entries: E[] = [];

  /** Past `cap` entries, the oldest `drop` go (default: as many as needed to keep `cap`). */
  constructor(
    private readonly cap = 50_000,
    private readonly drop?: number,
  ) {}

  /** Appends `entry` (kept by reference, so a handler can fill in its status later) and returns it. */
  push(entry: E): E {
    this.entries.push(entry);
    if (this.entries.length > this.cap) this.entries.splice(0, this.drop ?? this.entries.length - this.cap);
    return entry;
  }

  clear(): void {
    this.entries.splice(0, this.entries.length);
  }
}
