/**
 * The one way the kit keeps what a submission printed within bounds: the
 * head is kept, the rest is counted, and one marker says how much was left
 * out. Used on both sides of the process boundary (the confined code's and
 * the C code's print buffers in the grading child; the child's stdout and
 * stderr, the check output, the platform files and the per-student text in
 * the parent), so a TA sees the same marker wherever output was cut.
 */

/** The marker, on its own line after what was kept. */
export function truncationMarker(droppedChars: number): string {
  return `[heapgrade: output truncated, ${droppedChars} more characters not shown]`;
}

function withMarker(kept: string, droppedChars: number): string {
  return `${kept}${kept === '' || kept.endsWith('\n') ? '' : '\n'}${truncationMarker(droppedChars)}`;
}

/**
 * `text` cut to at most `maxChars` characters and `maxLines` lines (its
 * head), with the marker when anything was cut; unchanged when it fits.
 */
export function capText(text: string, maxChars: number, maxLines = Number.POSITIVE_INFINITY): string {
  let kept = text.length > maxChars ? text.slice(0, maxChars) : text;
  let lines = 0;
  for (let i = 0; i < kept.length; i++) {
    if (kept.charCodeAt(i) === 10 && ++lines >= maxLines) {
      kept = kept.slice(0, i + 1);
      break;
    }
  }
  return kept.length === text.length ? text : withMarker(kept, text.length - kept.length);
}

/**
 * A print buffer filled as output arrives: keeps the first `cap` characters
 * since the last `take()`, counts the rest (its memory stays bounded
 * whatever the submission prints).
 */
export class OutputCap {
  private text = '';
  private dropped = 0;

  constructor(readonly cap: number) {}

  write(s: string): void {
    const room = this.cap - this.text.length;
    if (s.length <= room) {
      this.text += s;
      return;
    }
    if (room > 0) this.text += s.slice(0, room);
    this.dropped += s.length - Math.max(room, 0);
  }

  /** Characters that still fit before the cap. */
  get room(): number {
    return Math.max(0, this.cap - this.text.length);
  }

  /** Counts output that arrived past the cap without keeping (or even decoding) it. */
  skip(count: number): void {
    this.dropped += count;
  }

  /** Everything written since the last take, with the marker when some was dropped. */
  take(): string {
    const out = this.dropped > 0 ? withMarker(this.text, this.dropped) : this.text;
    this.text = '';
    this.dropped = 0;
    return out;
  }
}
