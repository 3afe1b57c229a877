/**
 * A StepFun streaming reply written out by hand from the documented wire shape
 * (reference/stepfun-wire-facts.md §4): a role chunk with all-zero usage, thinking in
 * `reasoning` (Chinese), the answer in `content` (Chinese + emoji), a final chunk that carries
 * text and `finish_reason: "stop"`, `agent: ""` on every chunk, cumulative usage, `[DONE]`.
 * Variants reproduce the framing quirks other servers show in the wild.
 */

export type FinishStyle = 'absent' | 'empty' | 'null';

export interface RecordingVariant {
  /** `\n` (StepFun) or `\r\n` (sse-starlette and friends). */
  lineEnding?: '\n' | '\r\n';
  /** `data: ` (StepFun) or `data:` with no space (valid SSE, seen in the wild). */
  dataPrefix?: 'data: ' | 'data:';
  /** Interleave `: keep-alive` comment events (DeepSeek). */
  keepAlive?: boolean;
  /** How non-final chunks spell "not finished yet". */
  finishStyle?: FinishStyle;
  /** Leave out the trailing `[DONE]` event. */
  omitDone?: boolean;
  /** Leave out the final chunk (the one with finish_reason): a stream cut short. */
  omitFinal?: boolean;
}

const ID = '4e38135e2b7a40b2a0f1c2d3e4f5a6b7.1e6b4aa1c9d84f2e8a7b6c5d4e3f2a1b';
const CREATED = 1772615012;
const MODEL = 'step-3.7-flash';
const PROMPT_TOKENS = 85;

export const RECORDING_REASONING = ['用户', '问的是', '天气，', '我应该', '礼貌地', '回答。'];
export const RECORDING_CONTENT = ['今天', '北京', '晴，', '气温 ', '25°C', '，适合', '出门'];
export const RECORDING_FINAL_TEXT = '！ 😊';

export const RECORDING_TEXT = RECORDING_CONTENT.join('') + RECORDING_FINAL_TEXT;
export const RECORDING_REASONING_TEXT = RECORDING_REASONING.join('');
/** One completion token per text chunk, plus the final chunk. */
export const RECORDING_COMPLETION_TOKENS = RECORDING_REASONING.length + RECORDING_CONTENT.length + 1;

function chunk(delta: Record<string, unknown>, completion: number, finish: FinishStyle | 'stop'): object {
  const choice: Record<string, unknown> = { index: 0, delta };
  if (finish === 'stop') choice.finish_reason = 'stop';
  else if (finish === 'empty') choice.finish_reason = '';
  else if (finish === 'null') choice.finish_reason = null;
  return {
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [choice],
    usage:
      completion === 0
        ? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
        : {
            prompt_tokens: PROMPT_TOKENS,
            completion_tokens: completion,
            total_tokens: PROMPT_TOKENS + completion,
          },
    agent: '',
  };
}

/** The recording's events, as the JSON objects StepFun sends. */
export function recordingChunks(finishStyle: FinishStyle = 'absent', omitFinal = false): object[] {
  const chunks: object[] = [chunk({ role: 'assistant', content: '' }, 0, finishStyle)];
  let completion = 0;
  for (const piece of RECORDING_REASONING) {
    completion++;
    chunks.push(chunk({ role: 'assistant', content: '', reasoning: piece }, completion, finishStyle));
  }
  for (const piece of RECORDING_CONTENT) {
    completion++;
    chunks.push(chunk({ role: 'assistant', content: piece }, completion, finishStyle));
  }
  if (!omitFinal)
    chunks.push(chunk({ role: 'assistant', content: RECORDING_FINAL_TEXT }, completion + 1, 'stop'));
  return chunks;
}

/** The recording as SSE text in the given variant. */
export function recordingText(variant: RecordingVariant = {}): string {
  const eol = variant.lineEnding ?? '\n';
  const prefix = variant.dataPrefix ?? 'data: ';
  const events: string[] = [];
  for (const data of recordingChunks(variant.finishStyle, variant.omitFinal)) {
    if (variant.keepAlive) events.push(`: keep-alive${eol}${eol}`);
    events.push(`${prefix}${JSON.stringify(data)}${eol}${eol}`);
  }
  if (!variant.omitDone) events.push(`${prefix}[DONE]${eol}${eol}`);
  return events.join('');
}

export function recordingBytes(variant: RecordingVariant = {}): Uint8Array {
  return new TextEncoder().encode(recordingText(variant));
}

/** Every combination of the framing quirks that must not change the decoded reply. */
export const FRAMING_VARIANTS: RecordingVariant[] = [];
for (const lineEnding of ['\n', '\r\n'] as const) {
  for (const dataPrefix of ['data: ', 'data:'] as const) {
    for (const keepAlive of [false, true]) {
      for (const finishStyle of ['absent', 'empty', 'null'] as const) {
        FRAMING_VARIANTS.push({ lineEnding, dataPrefix, keepAlive, finishStyle });
      }
    }
  }
}
