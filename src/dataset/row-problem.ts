/**
 * Thrown while turning one record into a row when the record is malformed. The reader catches it
 * and, with the row's file and line, turns it into a `DatasetError` or a skipped `BadRow`.
 */
export class RowProblem extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RowProblem';
  }
}

/** A JSON value as text for messages and templates: strings as they are, the rest as JSON. */
export function valueAsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** A short, single-line preview of a value for error messages. */
export function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
