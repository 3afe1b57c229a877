import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * An error meant for the person running stepbench: the message says what went wrong, where,
 * and what to do. The CLI prints `message` (never a stack) and exits with `exitCode`.
 */
export class UserError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue = ExitCode.usage) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A malformed dataset row: names the file, the line (1-based) and the problem. */
export class DatasetError extends UserError {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`, ExitCode.usage);
    this.name = 'DatasetError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
