import type { ToolCall } from './types.js';

interface WireFunction {
  name?: unknown;
  arguments?: unknown;
}

interface WireToolCall {
  index?: unknown;
  id?: unknown;
  type?: unknown;
  function?: WireFunction | null;
}

/**
 * Merges streamed tool-call fragments by `index` (OpenAI style, which StepFun's mock follows):
 * the first fragment of a call brings `id`, `type` and `function.name`; later ones only pieces of
 * `function.arguments`, which are concatenated in arrival order.
 */
export class ToolCallMerger {
  private readonly calls = new Map<number, ToolCall>();

  /** Adds the `tool_calls` array of one delta (or one non-stream message). */
  add(fragments: readonly unknown[]): void {
    for (let i = 0; i < fragments.length; i++) {
      const fragment = fragments[i] as WireToolCall | null;
      if (fragment === null || typeof fragment !== 'object') continue;
      // Non-stream replies may omit `index`; position in the array is then the identity.
      const index = typeof fragment.index === 'number' ? fragment.index : i;
      let call = this.calls.get(index);
      if (!call) {
        call = { index, arguments: '' };
        this.calls.set(index, call);
      }
      if (call.id === undefined && typeof fragment.id === 'string' && fragment.id !== '')
        call.id = fragment.id;
      if (call.type === undefined && typeof fragment.type === 'string' && fragment.type !== '') {
        call.type = fragment.type;
      }
      const fn = fragment.function;
      if (fn && typeof fn === 'object') {
        if (call.name === undefined && typeof fn.name === 'string' && fn.name !== '') call.name = fn.name;
        if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
      }
    }
  }

  get size(): number {
    return this.calls.size;
  }

  /** The merged calls, ordered by index. */
  result(): ToolCall[] {
    return [...this.calls.values()].sort((a, b) => a.index - b.index);
  }
}
