import type { MockQuirks } from './options.js';

/** What stays the same across every chunk of one stream. */
export interface StreamIdentity {
  id: string;
  created: number;
  model: string;
  promptTokens: number;
  reasoningKey: 'reasoning' | 'reasoning_content';
  usageMode: MockQuirks['usage'];
  finishReasonStyle: MockQuirks['finishReasonStyle'];
}

export type Delta = Record<string, string>;

/** `chat.completion.chunk` JSON builder; the constant head is serialised once per stream. */
export class ChunkEncoder {
  private readonly head: string;

  constructor(private readonly s: StreamIdentity) {
    this.head = `{"id":${JSON.stringify(s.id)},"object":"chat.completion.chunk","created":${s.created},"model":${JSON.stringify(s.model)},"choices":`;
  }

  /** First chunk: role only, usage with the prompt and nothing generated yet. */
  role(): string {
    return this.chunk({ role: 'assistant', content: '' }, 0);
  }

  /** A text chunk; `finishReason` set means this is also the final chunk (text carried in it). */
  text(kind: 'reasoning' | 'content', text: string, completionTokens: number, finishReason?: string): string {
    const delta: Delta =
      kind === 'content' ? { content: text } : { content: '', [this.s.reasoningKey]: text };
    return this.chunk(delta, completionTokens, finishReason);
  }

  /** Final chunk with no text of its own. */
  finish(completionTokens: number, finishReason: string): string {
    return this.chunk({ content: '' }, completionTokens, finishReason);
  }

  /** OpenAI's `stream_options.include_usage` chunk: no choices, the full usage. */
  usageOnly(completionTokens: number): string {
    return `${this.head}[],"usage":${this.usage(completionTokens)},"agent":""}`;
  }

  private usage(completionTokens: number): string {
    const p = this.s.promptTokens;
    return `{"prompt_tokens":${p},"completion_tokens":${completionTokens},"total_tokens":${p + completionTokens}}`;
  }

  private chunk(delta: Delta, completionTokens: number, finishReason?: string): string {
    let finish = '';
    if (finishReason !== undefined) finish = `,"finish_reason":${JSON.stringify(finishReason)}`;
    else if (this.s.finishReasonStyle === 'empty') finish = ',"finish_reason":""';
    else if (this.s.finishReasonStyle === 'null') finish = ',"finish_reason":null';
    const usage = this.s.usageMode === 'cumulative' ? this.usage(completionTokens) : 'null';
    return `${this.head}[{"index":0,"delta":${JSON.stringify(delta)}${finish}}],"usage":${usage},"agent":""}`;
  }
}
