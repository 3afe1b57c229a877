/**
 * Bench child for the `rate-limit` suite: the loop a user would write by hand — the official
 * `openai` SDK with its default retries (maxRetries 2, its own backoff) in a p-queue closed loop,
 * non-streaming. A row is lost when create() throws after the SDK has given up. The SDK does not
 * say how many attempts it made; the parent counts them from the mock's records.
 *
 * argv[2]: JSON { url, concurrency, requests, dataset, model }
 */
import { createReadStream } from 'node:fs';
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

// No maxRetries here on purpose: the SDK's default (2) is what the hand-written loop gets.
const client = new OpenAI({ baseURL: config.url, apiKey: 'bench' });
const queue = new PQueue({ concurrency: config.concurrency });
const outcomes = {};
const count = (outcome) => {
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
};

async function one(row) {
  try {
    await client.chat.completions.create({
      model: config.model,
      messages: [{ role: 'user', content: row.prompt }],
      ...(row.maxTokens ? { max_tokens: row.maxTokens } : {}),
    });
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

const done = Object.values(outcomes).reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    client: 'sdk',
    retries: client.maxRetries,
    rows: done,
    rowsOk: outcomes.ok ?? 0,
    rowsLost: config.requests - (outcomes.ok ?? 0),
    outcomes,
    ...cost,
  }),
);
