import type { Random } from '../random.js';
import { type Dist, sampleDist } from './dist.js';
import type { ReplyTokens } from './reply.js';

/** One text-bearing chunk to send, and when (ms after the request arrived). */
export interface PlannedChunk {
  kind: 'reasoning' | 'content';
  text: string;
  tokens: number;
  atMs: number;
}

export interface Timing {
  ttftMs: Dist;
  interTokenMs: Dist;
  tokensPerChunk: number;
}

/**
 * Groups the reply into chunks (reasoning and answer never share a chunk) and gives each its send
 * time: the first at TTFT, each later one after one inter-token draw per token it carries. The same
 * schedule times the non-stream reply, so stream and non-stream take equally long.
 * Also returns `doneAtMs`: when the last text is out (TTFT when there is no text at all).
 */
export function planChunks(
  reply: ReplyTokens,
  timing: Timing,
  random: Random,
): { chunks: PlannedChunk[]; doneAtMs: number } {
  const chunks: PlannedChunk[] = [];
  let at = sampleDist(timing.ttftMs, random);
  const group = (kind: PlannedChunk['kind'], tokens: string[]) => {
    for (let i = 0; i < tokens.length; i += timing.tokensPerChunk) {
      const piece = tokens.slice(i, i + timing.tokensPerChunk);
      if (chunks.length > 0)
        for (let t = 0; t < piece.length; t++) at += sampleDist(timing.interTokenMs, random);
      chunks.push({ kind, text: piece.join(''), tokens: piece.length, atMs: at });
    }
  };
  group('reasoning', reply.reasoning);
  group('content', reply.answer);
  return { chunks, doneAtMs: at };
}
