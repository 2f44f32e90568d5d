// Remembers the (force, crime reference) pairs of a batch of import rows, for IMP-DUP-001.
// The import service keeps one per 10,000-row batch (duplicates across batches are found in SQL), so an
// exact map stays small; a caller validating a whole small file in memory may keep one for the file.
export class DuplicateTracker {
  // Per force, then per reference: no key string to build per row (the import asks for every row).
  private readonly firstLines = new Map<string, Map<string, number>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  // The line that first used this reference in this force, or null (and the pair is remembered).
  firstLine(forceId: string, crimeReference: string, line: number): number | null {
    if (line < 1) throw new RangeError('line numbers start at 1');
    let inForce = this.firstLines.get(forceId);
    if (inForce === undefined) this.firstLines.set(forceId, (inForce = new Map()));
    const first = inForce.get(crimeReference);
    if (first !== undefined) return first;
    inForce.set(crimeReference, line);
    this.count++;
    return null;
  }
}
