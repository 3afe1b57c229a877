import { cpus, loadavg, totalmem } from 'node:os';

/** Where a bench ran: enough to tell two reports' machines apart, nothing identifying. */
export function machineInfo() {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage1m: loadavg()[0],
  };
}
