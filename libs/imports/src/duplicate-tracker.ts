// Remembers (force, crime reference) pairs seen in one import file, for IMP-DUP-001.
// A national extract holds ~7 million rows: a Set of strings would cost ~100 bytes a row (~700 MB), so
// this keeps a 64-bit fingerprint and the first line of each pair in typed arrays (~17-24 bytes a row).
// Two different pairs share a fingerprint with probability about n²/2^65 (1 in 750,000 for a 7-million-row
// file); the report then names both lines, and the database's unique key (force_id, crime_reference)
// remains the exact guarantee.

const EMPTY = 0; // line numbers start at 1, so 0 marks a free slot

export class DuplicateTracker {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  // The line that first used this reference in this force, or null (and the pair is remembered).
  firstLine(forceId: string, crimeReference: string, line: number): number | null {
    if (line < 1) throw new RangeError('line numbers start at 1');
    if ((this.count + 1) * 10 > this.lines.length * 7) this.grow();
    const [h, l] = fingerprint(`${forceId}\u0000${crimeReference}`);
    const mask = this.lines.length - 1;
    for (let slot = l & mask; ; slot = (slot + 1) & mask) {
      if (this.lines[slot] === EMPTY) {
        this.hi[slot] = h;
        this.lo[slot] = l;
        this.lines[slot] = line;
        this.count++;
        return null;
      }
      if (this.hi[slot] === h && this.lo[slot] === l) return this.lines[slot];
    }
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const size = lines.length * 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.lines = new Uint32Array(size);
    const mask = size - 1;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === EMPTY) continue;
      let slot = lo[i] & mask;
      while (this.lines[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.lines[slot] = lines[i];
    }
  }
}

// cyrb53's two 32-bit lanes (public domain, bryc), kept whole: a 64-bit fingerprint of the UTF-16 text.
function fingerprint(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h2 >>> 0, h1 >>> 0];
}
