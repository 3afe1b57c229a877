import { readNumber } from './spec-reader.js';
import type { AssertionType, MaxCostSpec } from './types.js';

/** Six significant digits: 0.000123 rather than 0.00012300000000000001. */
function shown(cost: number): string {
  return String(Number(cost.toPrecision(6)));
}

/**
 * `max-cost`: this request cost at most the value, in the price's currency. An unknown cost (no
 * price for the model) fails with "cost unknown": it is never taken as 0.
 */
export const maxCost: AssertionType<MaxCostSpec> = {
  kinds: ['max-cost'],
  negatable: false,
  parse(_kind, fields) {
    return { value: readNumber(fields, 'value', 0) };
  },
  check(spec, ctx) {
    const cost = ctx.cost;
    if (cost === null || cost === undefined || !Number.isFinite(cost)) {
      return {
        pass: false,
        reason: 'cost unknown (no price for this model), so it cannot be held to a maximum',
        undecided: true,
      };
    }
    return cost <= spec.value
      ? { pass: true, reason: `cost ${shown(cost)} ≤ ${spec.value}` }
      : { pass: false, reason: `cost ${shown(cost)} > ${spec.value}` };
  },
};
