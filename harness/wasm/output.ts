/** The capture buffer behind the C code's printf: capped, with a visible marker. */
export const DEFAULT_OUTPUT_CAP = 64 * 1024;

export class OutputCapture {
  private chunks: string[] = [];
  private kept = 0;
  private dropped = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly cap = DEFAULT_OUTPUT_CAP) {}

  write(bytes: Uint8Array): void {
    const room = this.cap - this.kept;
    if (room <= 0) {
      this.dropped += bytes.length;
      return;
    }
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.chunks.push(this.decoder.decode(part));
    this.kept += part.length;
    this.dropped += bytes.length - part.length;
  }

  /** Everything since the last take, with a truncation marker when bytes were dropped. */
  take(): string {
    let s = this.chunks.join('');
    if (this.dropped > 0) s += `\n[heapgrade: output truncated, ${this.dropped} more byte(s) not shown (cap ${this.cap} bytes)]\n`;
    this.chunks = [];
    this.kept = 0;
    this.dropped = 0;
    return s;
  }
}
