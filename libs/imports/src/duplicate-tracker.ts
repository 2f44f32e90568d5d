// Remembers the (force, crime reference) pairs of a batch of import rows, for IMP-DUP-001.
// The import service keeps one per 10,000-row batch (duplicates across batches are found in SQL), so an
// exact map stays small; a caller validating a whole small file in memory may keep one for the file.
export class DuplicateTracker {
  private readonly firstLines = new Map<string, number>();

  get size(): number {
    return this.firstLines.size;
  }

  // The line that first used this reference in this force, or null (and the pair is remembered).
  firstLine(forceId: string, crimeReference: string, line: number): number | null {
    if (line < 1) throw new RangeError('line numbers start at 1');
    const key = `${forceId}\u0000${crimeReference}`;
    const first = this.firstLines.get(key);
    if (first !== undefined) return first;
    this.firstLines.set(key, line);
    return null;
  }
}
