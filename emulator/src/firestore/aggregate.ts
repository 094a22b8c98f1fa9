/** count / sum / avg over query results, with Firestore's numeric rules. */
import { Code, FirestoreError, type Aggregation, type Document, type Value } from './types';
import { getField, parseFieldPath } from './values';

const MAX_INT = 2n ** 63n - 1n;
const MIN_INT = -(2n ** 63n);

function numbers(docs: Document[], fieldPath: string): Value[] {
  const path = parseFieldPath(fieldPath);
  return docs.flatMap((d) => {
    const v = getField(d.fields, path);
    return v && ('integerValue' in v || 'doubleValue' in v) ? [v] : [];
  });
}

function sum(values: Value[]): Value {
  let intSum = 0n;
  let allInts = true;
  let dbl = 0;
  for (const v of values) {
    if ('integerValue' in v) {
      intSum += BigInt(v.integerValue);
      dbl += Number(v.integerValue);
    } else if ('doubleValue' in v) {
      allInts = false;
      dbl += v.doubleValue;
    }
  }
  // An integer sum that overflows int64 is returned as a double, as Firestore does.
  if (allInts && intSum <= MAX_INT && intSum >= MIN_INT) return { integerValue: String(intSum) };
  return { doubleValue: dbl };
}

/** Computes the aggregate fields of a runAggregationQuery. */
export function aggregate(aggregations: Aggregation[], docs: Document[]): Record<string, Value> {
  if (aggregations.length === 0 || aggregations.length > 5)
    throw new FirestoreError(Code.INVALID_ARGUMENT, 'An aggregation query needs 1 to 5 aggregations');
  const out: Record<string, Value> = {};
  aggregations.forEach((a, i) => {
    const alias = a.alias || `field_${i + 1}`;
    if (alias in out) throw new FirestoreError(Code.INVALID_ARGUMENT, `Duplicate aggregation alias ${alias}`);
    if (a.count) {
      const upTo = a.count.upTo === undefined ? undefined : Number(a.count.upTo);
      if (upTo !== undefined && (!Number.isInteger(upTo) || upTo <= 0))
        throw new FirestoreError(Code.INVALID_ARGUMENT, 'count upTo must be a positive integer');
      out[alias] = { integerValue: String(upTo === undefined ? docs.length : Math.min(upTo, docs.length)) };
    } else if (a.sum) {
      out[alias] = sum(numbers(docs, a.sum.field.fieldPath));
    } else if (a.avg) {
      const values = numbers(docs, a.avg.field.fieldPath);
      if (!values.length) out[alias] = { nullValue: null };
      else {
        const total = values.reduce((n, v) => n + ('integerValue' in v ? Number(v.integerValue) : 'doubleValue' in v ? v.doubleValue : 0), 0);
        out[alias] = { doubleValue: total / values.length };
      }
    } else {
      throw new FirestoreError(Code.INVALID_ARGUMENT, 'Unknown aggregation');
    }
  });
  return out;
}
