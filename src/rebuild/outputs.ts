import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReportHtml } from '../report/html/write-html.js';
import { writeReportJson } from '../report/json.js';
import { junitOptionsFromReport, writeJunitXml } from '../report/junit-xml.js';
import type { Report } from '../report/schema.js';
import { summaryMarkdown, writeSummaryMarkdown } from '../report/summary-md.js';
import type { JobResult } from '../results/types.js';

export interface OutputPaths {
  reportPath: string;
  summaryPath: string;
  junitPath: string;
  htmlPath: string;
}

/**
 * Every output a rebuilt report gets, written into `outDir` — the one place that writes them,
 * as the run's tail does for a live run: report.json, summary.md, junit.xml (streamed from the
 * results again), report.html.
 */
export async function writeRebuiltOutputs(
  outDir: string,
  report: Report,
  resultsPath: string,
  extra: { failedCheckSamples: readonly JobResult[]; repeated: boolean },
): Promise<OutputPaths> {
  await mkdir(outDir, { recursive: true });
  const paths: OutputPaths = {
    reportPath: join(outDir, 'report.json'),
    summaryPath: join(outDir, 'summary.md'),
    junitPath: join(outDir, 'junit.xml'),
    htmlPath: join(outDir, 'report.html'),
  };
  await writeReportJson(paths.reportPath, report);
  await writeSummaryMarkdown(paths.summaryPath, summaryMarkdown(report, extra.failedCheckSamples));
  await writeJunitXml(paths.junitPath, resultsPath, junitOptionsFromReport(report, extra.repeated));
  await writeReportHtml(paths.htmlPath, report, resultsPath);
  return paths;
}
