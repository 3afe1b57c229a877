/**
 * `node --import bench/lib/peak-rss-preload.mjs …`: writes the process's peak resident set
 * (`resourceUsage().maxRSS`, KB, worker threads included) to BENCH_PEAK_RSS_FILE when it exits,
 * so a bench can read the peak of a CLI process it spawned.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
