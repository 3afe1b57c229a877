import type { ChatMessage } from '../dataset/types.js';
import { createRandom, hashString, mixSeed, type Random } from '../random.js';
import { answerTokens } from './canned-answers.js';

/**
 * The words a mock reply is made of; each item counts as exactly one token. The mix is on
 * purpose: Chinese (3-byte UTF-8), English with leading spaces, punctuation, and a few emoji
 * (4-byte UTF-8, surrogate pairs in JS), so clients meet multi-byte text split across reads.
 */
const CHINESE =
  '我们 模型 推理 速度 数据 测试 结果 问题 回答 可以 需要 因为 所以 首先 然后 最后 延迟 吞吐 并发 请求 你好 思考 分析 答案';
const ENGLISH =
  'the model answer is fast latency token stream because we measure each request and then result a of to check';
const PUNCTUATION = ['，', '。', '！', '？', '、', ',', '.', ':', ' -', '\n'];
const VOCABULARY: readonly string[] = [
  ...CHINESE.split(' '),
  ...ENGLISH.split(' ').map((word) => ` ${word}`),
  ...PUNCTUATION,
];
const EMOJI: readonly string[] = ['😊', '🚀', '✨', '👍', '🤔'];
/** Roughly one token in this many is an emoji. */
const EMOJI_ONE_IN = 24;

function drawToken(random: Random): string {
  if (random() * EMOJI_ONE_IN < 1) return EMOJI[Math.floor(random() * EMOJI.length)]!;
  return VOCABULARY[Math.floor(random() * VOCABULARY.length)]!;
}

/** `count` tokens from `random`; the same generator state always yields the same tokens. */
function drawTokens(random: Random, count: number): string[] {
  const tokens = new Array<string>(count);
  for (let i = 0; i < count; i++) tokens[i] = drawToken(random);
  return tokens;
}

export interface ReplyTokens {
  reasoning: string[];
  answer: string[];
  finishReason: 'stop' | 'length';
}

export interface ReplyPlan {
  seed: number;
  model: string;
  messages: readonly ChatMessage[];
  reasoningTokens: number;
  replyTokens: number;
  /** The request's `max_tokens`: caps reasoning + answer together. */
  maxTokens?: number;
  /** A canned answer (canned-answers.ts) to send instead of seeded words; `replyTokens` is then ignored. */
  cannedAnswer?: string;
}

/**
 * The reply to a request, as tokens. A deterministic function of (seed, model, messages): the
 * reasoning and the answer come from separate generator streams, so `max_tokens` only cuts the
 * text short and never changes the words that do appear.
 */
export function planReply(plan: ReplyPlan): ReplyTokens {
  const key = hashString(`${plan.model}\u0000${JSON.stringify(plan.messages)}`);
  const cap = plan.maxTokens ?? Number.POSITIVE_INFINITY;
  const reasoningCount = Math.min(plan.reasoningTokens, cap);
  const canned = plan.cannedAnswer === undefined ? undefined : answerTokens(plan.cannedAnswer);
  const wanted = canned?.length ?? plan.replyTokens;
  const answerCount = Math.min(wanted, cap - reasoningCount);
  const truncated = plan.reasoningTokens + wanted > cap;
  return {
    reasoning: drawTokens(createRandom(mixSeed(plan.seed, key, 1)), reasoningCount),
    answer: canned
      ? canned.slice(0, answerCount)
      : drawTokens(createRandom(mixSeed(plan.seed, key, 2)), answerCount),
    finishReason: truncated ? 'length' : 'stop',
  };
}
