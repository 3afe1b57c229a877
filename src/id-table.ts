import { avalanche32 } from './random.js';

/**
 * Remembers row ids compactly, to catch duplicates in datasets of millions of rows (a
 * `Map<string, …>` costs some 100 bytes per id and was most of a million-row run's memory): 12
 * bytes a slot (14 once a file number other than 0 is used), in typed arrays outside the JS heap.
 * The table is kept between a quarter and half full: 1,000,000 ids take 2²¹ slots, 25 MB.
 *
 * An id is kept as a 64-bit hash, not as text, with where it was first seen (a file number and a
 * line). Two different ids with the same hash would be taken for a duplicate; with 64 bits the
 * chance of that anywhere in a 1,000,000-row dataset is about n²/2⁶⁵ ≈ 3·10⁻⁸ (design note 009).
 * Open addressing with linear probing; the table doubles when it is half full.
 */
export class IdTable {
  private hashHigh: Uint32Array;
  private hashLow: Uint32Array;
  /** 1-based line where the id was first seen; 0 marks an empty slot. */
  private lines: Uint32Array;
  /** Allocated when a file number other than 0 is first added (one file needs none). */
  private files: Uint16Array | undefined;
  private mask: number;
  private used = 0;

  constructor(initialSlots = 1024) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.hashHigh = new Uint32Array(slots);
    this.hashLow = new Uint32Array(slots);
    this.lines = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.used;
  }

  /** Where `id` was first seen, if it was. */
  get(id: string): { file: number; line: number } | undefined {
    const [high, low] = idHash(id);
    const slot = this.slotOf(high, low);
    const line = this.lines[slot]!;
    return line === 0 ? undefined : { file: this.files?.[slot] ?? 0, line };
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Records `id` as first seen at `file` (a caller's file number, < 65,536) and `line` (≥ 1); an id already known keeps its first place. */
  add(id: string, file: number, line: number): void {
    if (line < 1) throw new RangeError(`IdTable line must be ≥ 1, got ${line}`);
    const [high, low] = idHash(id);
    const slot = this.slotOf(high, low);
    if (this.lines[slot] !== 0) return;
    this.hashHigh[slot] = high;
    this.hashLow[slot] = low;
    this.lines[slot] = line;
    if (file !== 0) {
      this.files ??= new Uint16Array(this.lines.length);
      this.files[slot] = file;
    }
    this.used++;
    if (this.used * 2 > this.lines.length) this.grow();
  }

  /** The slot holding this hash, or the empty slot where it would go. */
  private slotOf(high: number, low: number): number {
    let slot = low & this.mask;
    while (this.lines[slot] !== 0 && (this.hashHigh[slot] !== high || this.hashLow[slot] !== low))
      slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const { hashHigh, hashLow, lines, files } = this;
    const slots = lines.length * 2;
    this.hashHigh = new Uint32Array(slots);
    this.hashLow = new Uint32Array(slots);
    this.lines = new Uint32Array(slots);
    this.files = files ? new Uint16Array(slots) : undefined;
    this.mask = slots - 1;
    for (let old = 0; old < lines.length; old++) {
      if (lines[old] === 0) continue;
      const slot = this.slotOf(hashHigh[old]!, hashLow[old]!);
      this.hashHigh[slot] = hashHigh[old]!;
      this.hashLow[slot] = hashLow[old]!;
      this.lines[slot] = lines[old]!;
      if (files && this.files) this.files[slot] = files[old]!;
    }
  }
}

/**
 * A 64-bit hash of a string's UTF-16 code units, as two 32-bit halves: two multiply-rotate lanes
 * with different odd constants, then mixed so that ids differing in one character (row-0000001,
 * row-0000002) spread over the whole table.
 */
export function idHash(text: string): [number, number] {
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x7f4a7c15 ^ Math.imul(text.length, 0x2545f491);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ unit, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = (b + a) | 0;
  }
  // Two Feistel rounds: a one-to-one mix of the 64 bits of state, so no hash bit is lost here.
  const high = (a ^ avalanche32(b)) >>> 0;
  const low = (b ^ avalanche32(high)) >>> 0;
  return [high, low];
}

/**
 * A set of strings (job keys) in 24–48 bytes each, on `IdTable`: for the keys a resumed run
 * has done already, which can be millions. Same caveat: keys are compared by 64-bit hash.
 */
export class KeySet {
  private readonly table = new IdTable();

  has(key: string): boolean {
    return this.table.has(key);
  }

  add(key: string): void {
    this.table.add(key, 0, 1);
  }

  get size(): number {
    return this.table.size;
  }
}
