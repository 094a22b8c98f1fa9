/** Applying one Write of a commit to a document: preconditions, update masks and field transforms. */
import {
  Code,
  FirestoreError,
  type Document,
  type Fields,
  type FieldTransform,
  type Precondition,
  type Value,
  type Write,
} from './types';
import { docName } from './paths';
import { clone, compareTimestamps, compareValues, fieldsSize, getField, isNumber, parseFieldPath, setField, valuesEqual } from './values';

/** Firestore's maximum document size. */
export const MAX_DOCUMENT_BYTES = 1_048_576;
export const MAX_WRITES_PER_COMMIT = 500;

/** The document a write targets, validated. */
export function writeTarget(w: Write): string {
  if (typeof w !== 'object' || w === null) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Invalid write');
  const kinds = [w.update, w.delete, w.verify, w.transform].filter((x) => x !== undefined);
  if (kinds.length !== 1) throw new FirestoreError(Code.INVALID_ARGUMENT, 'A write needs exactly one of update, delete, verify, transform');
  const name = w.update?.name ?? w.delete ?? w.verify ?? w.transform?.document;
  if (typeof name !== 'string') throw new FirestoreError(Code.INVALID_ARGUMENT, 'A write needs a document name');
  docName(name);
  return name;
}

export function checkPrecondition(name: string, p: Precondition | undefined, existing: Document | null): void {
  if (!p) return;
  if (p.exists === true && !existing) throw new FirestoreError(Code.NOT_FOUND, `No document to update: ${name}`);
  if (p.exists === false && existing) throw new FirestoreError(Code.ALREADY_EXISTS, `Document already exists: ${name}`);
  if (p.updateTime !== undefined) {
    if (!existing || compareTimestamps(existing.updateTime, p.updateTime) !== 0)
      throw new FirestoreError(Code.FAILED_PRECONDITION, `The document was changed since it was read: ${name}`);
  }
}

function addNumbers(a: Value, b: Value): Value {
  if ('integerValue' in a && 'integerValue' in b) {
    const sum = BigInt(a.integerValue) + BigInt(b.integerValue);
    // Firestore saturates 64-bit integer overflow.
    const max = 2n ** 63n - 1n;
    const min = -(2n ** 63n);
    return { integerValue: String(sum > max ? max : sum < min ? min : sum) };
  }
  const x = 'integerValue' in a ? Number(a.integerValue) : 'doubleValue' in a ? a.doubleValue : 0;
  const y = 'integerValue' in b ? Number(b.integerValue) : 'doubleValue' in b ? b.doubleValue : 0;
  return { doubleValue: x + y };
}

function applyTransform(fields: Fields, t: FieldTransform, requestTime: string): Value {
  if (!t || typeof t.fieldPath !== 'string') throw new FirestoreError(Code.INVALID_ARGUMENT, 'A transform needs a fieldPath');
  const path = parseFieldPath(t.fieldPath);
  const current = getField(fields, path);
  let result: Value;
  if (t.setToServerValue !== undefined) {
    if (t.setToServerValue !== 'REQUEST_TIME') throw new FirestoreError(Code.INVALID_ARGUMENT, 'Unknown server value');
    result = { timestampValue: requestTime };
  } else if (t.increment !== undefined) {
    if (!isNumber(t.increment)) throw new FirestoreError(Code.INVALID_ARGUMENT, 'increment needs a number');
    result = current && isNumber(current) ? addNumbers(current, t.increment) : t.increment;
  } else if (t.maximum !== undefined || t.minimum !== undefined) {
    const operand = (t.maximum ?? t.minimum) as Value;
    if (!isNumber(operand)) throw new FirestoreError(Code.INVALID_ARGUMENT, 'maximum/minimum need a number');
    if (!current || !isNumber(current)) result = operand;
    else {
      const c = compareValues(current, operand);
      const keepCurrent = t.maximum !== undefined ? c >= 0 : c <= 0;
      result = keepCurrent ? current : operand;
    }
  } else if (t.appendMissingElements !== undefined) {
    const existing = current && 'arrayValue' in current ? [...(current.arrayValue.values ?? [])] : [];
    for (const v of t.appendMissingElements.values ?? []) if (!existing.some((e) => valuesEqual(e, v))) existing.push(v);
    result = { arrayValue: { values: existing } };
  } else if (t.removeAllFromArray !== undefined) {
    const existing = current && 'arrayValue' in current ? (current.arrayValue.values ?? []) : [];
    const remove = t.removeAllFromArray.values ?? [];
    result = { arrayValue: { values: existing.filter((e) => !remove.some((r) => valuesEqual(e, r))) } };
  } else {
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Transform on ${t.fieldPath} has no operation`);
  }
  setField(fields, path, clone(result));
  return result;
}

export interface AppliedWrite {
  /** The document after the write (null when deleted or absent after a verify on a missing doc). */
  after: Document | null;
  /** Whether the write changed stored state (verify does not). */
  changes: boolean;
  transformResults: Value[] | undefined;
}

/**
 * Applies one write to `existing` at commit time `commitTime`. Pure: returns the new state.
 * Throws FirestoreError for a failed precondition or invalid input.
 */
export function applyWrite(w: Write, existing: Document | null, commitTime: string): AppliedWrite {
  const name = writeTarget(w);
  checkPrecondition(name, w.currentDocument, existing);
  if (w.verify !== undefined) return { after: existing, changes: false, transformResults: undefined };
  if (w.delete !== undefined) return { after: null, changes: existing !== null, transformResults: undefined };

  let fields: Fields;
  if (w.update) {
    const incoming = w.update.fields ?? {};
    fieldsSize(incoming); // validates shape and depth
    if (w.updateMask) {
      fields = existing ? clone(existing.fields) : {};
      for (const p of w.updateMask.fieldPaths ?? []) {
        const segs = parseFieldPath(p);
        const v = getField(incoming, segs);
        setField(fields, segs, v === undefined ? undefined : clone(v));
      }
    } else {
      fields = clone(incoming);
    }
  } else {
    // Legacy standalone transform write.
    fields = existing ? clone(existing.fields) : {};
  }
  const transforms = w.update ? (w.updateTransforms ?? []) : (w.transform?.fieldTransforms ?? []);
  if (!Array.isArray(transforms)) throw new FirestoreError(Code.INVALID_ARGUMENT, 'Invalid transforms');
  const transformResults = transforms.map((t) => applyTransform(fields, t, commitTime));
  const size = Buffer.byteLength(name) + 16 + fieldsSize(fields) + 32;
  if (size > MAX_DOCUMENT_BYTES)
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Document ${name} is larger than the 1 MiB limit (${size} bytes)`);
  return {
    after: { name, fields, createTime: existing?.createTime ?? commitTime, updateTime: commitTime },
    changes: true,
    transformResults: transforms.length ? transformResults : undefined,
  };
}
