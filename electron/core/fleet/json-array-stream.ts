// `restic snapshots --json` prints the whole list as one JSON array on one line: tens of megabytes
// for a repository with years of snapshots. This splits it into its elements as the text arrives,
// so only one snapshot's text is held at a time.

export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private element: string[] = [];
  private elementStart = -1;

  constructor(private readonly onElement: (text: string) => void) {}

  /** Feeds the next chunk of text; calls onElement for every complete top-level element. */
  push(chunk: string): void {
    this.elementStart = this.depth >= 2 ? 0 : -1;
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) {
        if (this.depth >= 2) this.inString = true;
        continue;
      }
      if (c === 0x5b || c === 0x7b) {
        this.depth += 1;
        if (this.depth === 2) this.elementStart = i;
      } else if (c === 0x5d || c === 0x7d) {
        if (this.depth === 0) continue;
        this.depth -= 1;
        if (this.depth === 1 && this.elementStart >= 0) {
          this.element.push(chunk.slice(this.elementStart, i + 1));
          this.onElement(this.element.join(''));
          this.element = [];
          this.elementStart = -1;
        }
      }
    }
    if (this.depth >= 2 && this.elementStart >= 0) this.element.push(chunk.slice(this.elementStart));
  }
}
