/**
 * What a format reader hands to the row builder: the fields of one record with the line it starts
 * on, or a problem found before the record could be read at all.
 *
 * `origin` says how field values must be interpreted: CSV values are all strings (numbers and JSON
 * are parsed from them), JSON values keep their types, Batch-API lines are already mapped onto row
 * fields and are sent verbatim (no templating).
 */
export type RawItem =
  | { kind: 'record'; line: number; origin: RecordOrigin; fields: Record<string, unknown> }
  | { kind: 'problem'; line: number; reason: string; fatal: boolean };

export type RecordOrigin = 'csv' | 'json' | 'batch';
