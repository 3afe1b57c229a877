/** Types for table.mjs, so TypeScript tests can import it under strict mode. */
export interface Column<Row> {
  title: string;
  value: (row: Row) => string | number | null | undefined;
  align?: 'left' | 'right';
}
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string;
export function fixed(n: unknown, digits?: number): string;
export function formatChecks(
  checks: readonly { target: string; measured: string; pass: boolean | null }[],
  issue: number,
): string;
