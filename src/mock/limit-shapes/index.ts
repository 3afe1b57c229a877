import { FixedWindowLimit } from './fixed-window.js';
import type { LimitShape, LimitShapeName, RateSpec } from './shape.js';
import { SlidingLimit } from './sliding.js';
import { TokenBucketLimit } from './token-bucket.js';

export {
  LIMIT_SHAPE_NAMES,
  type LimitShape,
  type LimitShapeName,
  type RateSpec,
  type WindowState,
} from './shape.js';
export { bucketCapacity } from './token-bucket.js';

/** A fresh limit of shape `name`, starting at `now`: an empty window, or a full bucket. */
export function createLimitShape(
  name: LimitShapeName,
  windowMs: number,
  spec: RateSpec,
  now: number,
): LimitShape {
  switch (name) {
    case 'sliding':
      return new SlidingLimit(windowMs, spec);
    case 'fixed-window':
      return new FixedWindowLimit(windowMs, spec);
    case 'token-bucket':
      return new TokenBucketLimit(windowMs, spec, now);
  }
}
