/**
 * Bench child: the baseline a user would write by hand — the official `openai` SDK in a
 * p-queue closed loop, streaming — measured the way stepbench defines TTFT and e2e:
 * t0 right before create(), TTFT at the first chunk with non-empty content or reasoning,
 * e2e when the stream iteration ends. Prints cost and outcome as one JSON line and writes
 * per-request samples to `config.samplesPath`.
 *
 * argv[2]: JSON { url, concurrency, requests, dataset, samplesPath, model }
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse';
import OpenAI from 'openai';
import PQueue from 'p-queue';
import { processCost } from '../lib/child-runner.mjs';

const config = JSON.parse(process.argv[2]);

// Same prompts and per-row max_tokens as stepbench reads from the CSV, loaded before timing starts.
const rows = [];
const parser = createReadStream(config.dataset).pipe(parse({ columns: true, bom: true }));
for await (const record of parser) {
  const maxTokens = record.max_tokens ? Number(record.max_tokens) : undefined;
  rows.push({ prompt: record.prompt, maxTokens });
}

const client = new OpenAI({ baseURL: config.url, apiKey: 'bench', maxRetries: 0 });
const queue = new PQueue({ concurrency: config.concurrency });
const samples = [];
const outcomes = {};
const count = (outcome) => {
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
};

const hasText = (delta) => Boolean(delta && (delta.content || delta.reasoning || delta.reasoning_content));

async function one(row) {
  const body = {
    model: config.model,
    messages: [{ role: 'user', content: row.prompt }],
    stream: true,
    ...(row.maxTokens ? { max_tokens: row.maxTokens } : {}),
  };
  const t0 = performance.now();
  let traceId;
  let ttft;
  try {
    const { data: stream, response } = await client.chat.completions.create(body).withResponse();
    traceId = response.headers.get('x-trace-id') ?? undefined;
    for await (const chunk of stream) {
      if (ttft === undefined && hasText(chunk.choices[0]?.delta)) ttft = performance.now() - t0;
    }
    samples.push({ traceId, ttft, e2e: performance.now() - t0 });
    count('ok');
  } catch (err) {
    count(err?.status ? `http_${err.status}` : 'error');
  }
}

const cpuBefore = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < config.requests; i++) queue.add(() => one(rows[i % rows.length]));
await queue.onIdle();
const cost = processCost(cpuBefore, performance.now() - t0);

await writeFile(config.samplesPath, JSON.stringify(samples));
const done = Object.values(outcomes).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ client: 'sdk', requests: done, outcomes, ...cost }));
