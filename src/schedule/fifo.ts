/**
 * A first-in first-out queue with O(1) push and shift. `Array#shift` is O(n), which matters
 * when an open-loop run falls far behind and thousands of due arrivals wait for a slot.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T; // let the job be collected once it has started
    this.head++;
    // Compact once the dead prefix dominates, so memory tracks what is actually waiting.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
