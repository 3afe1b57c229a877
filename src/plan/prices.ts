import type { Price } from './types.js';

/**
 * Known list prices per 1M tokens (uncached input / cached input / output). Data, not code:
 * a target's own `price` always wins over this table, and a model missing here has an
 * "unknown" cost in reports, never 0.
 */
export const DEFAULT_PRICES: Readonly<Record<string, Price>> = {
  'step-3.7-flash': { currency: 'CNY', input: 1.35, cachedInput: 0.27, output: 8.1 },
  'step-3.5-flash': { currency: 'CNY', input: 0.7, cachedInput: 0.14, output: 2.1 },
  'step-1o-turbo-vision': { currency: 'CNY', input: 2.5, cachedInput: 0.5, output: 8 },
};

/**
 * The price to charge for `model`: the explicit override when given, else the default table.
 * Model names are matched exactly first, then case-insensitively (users type `Step-3.5-Flash`).
 * Returns undefined when the price is unknown.
 */
export function priceFor(
  model: string,
  override?: Price,
  table: Readonly<Record<string, Price>> = DEFAULT_PRICES,
): Price | undefined {
  if (override) return override;
  const exact = table[model];
  if (exact) return exact;
  const wanted = model.trim().toLowerCase();
  for (const [name, price] of Object.entries(table)) {
    if (name.toLowerCase() === wanted) return price;
  }
  return undefined;
}
