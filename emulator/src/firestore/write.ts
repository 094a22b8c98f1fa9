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
import {
  checkFields,
  checkValue,
  clone,
  compareTimestamps,
  compareValues,
  fieldsSize,
  getField,
  isNumber,
  parseTimestamp,
  parseWritableFieldPath,
  setField,
  valuesEqual,
} from './values';
import { isObject, oneOf, requireObject } from './validate';

/** Firestore's maximum document size. */
export const MAX_DOCUMENT_BYTES = 1_048_576;
export const MAX_WRITES_PER_COMMIT = 500;

/** The members of Write's `operation` oneof. */
const OPERATIONS = ['update', 'delete', 'verify', 'transform'] as const;
/** The members of FieldTransform's `transform_type` oneof. */
const TRANSFORM_TYPES = ['setToServerValue', 'increment', 'maximum', 'minimum', 'appendMissingElements', 'removeAllFromArray'] as const;

function invalid(message: string): FirestoreError {
  return new FirestoreError(Code.INVALID_ARGUMENT, message);
}

/**
 * Writes already validated, with their target. A commit asks for a write's target several times (on entry, per rules
 * attempt, at apply); the whole value tree is walked only the first time.
 */
const validated = new WeakMap<Write, string>();

/**
 * The document a write targets, after validating the whole write once, before anything acts on it: one operation
 * (update | delete | verify | transform), a precondition with one condition, update fields and transform operands
 * that are valid values, and field paths (mask, transforms) that are not reserved names.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function writeTarget(w: Write): string {
  const known = isObject(w) ? validated.get(w) : undefined;
  if (known !== undefined) return known;
  const name = validateWrite(w);
  validated.set(w, name);
  return name;
}

function validateWrite(w: Write): string {
  if (!isObject(w)) throw invalid('Invalid write');
  const op = oneOf(w, OPERATIONS, 'Write');
  if (op === undefined) throw invalid('A write needs exactly one of update, delete, verify, transform');
  let name: unknown;
  if (op === 'update') {
    const u: unknown = w.update;
    requireObject(u, 'Write.update');
    name = u.name;
    if (u.fields !== undefined) checkFields(u.fields);
  } else if (op === 'transform') {
    const t: unknown = w.transform;
    requireObject(t, 'Write.transform');
    name = t.document;
    checkTransforms(t.fieldTransforms);
  } else {
    name = w[op];
  }
  if (typeof name !== 'string') throw invalid('A write needs a document name');
  docName(name);
  if (op !== 'update' && (w.updateMask !== undefined || w.updateTransforms !== undefined))
    throw invalid('updateMask and updateTransforms belong to update writes only');
  if (w.updateMask !== undefined) {
    const mask: unknown = w.updateMask;
    requireObject(mask, 'updateMask');
    const paths: unknown = mask.fieldPaths;
    if (paths !== undefined) {
      if (!Array.isArray(paths)) throw invalid('updateMask.fieldPaths must be a list');
      for (const p of paths as readonly unknown[]) {
        if (typeof p !== 'string') throw invalid('updateMask.fieldPaths must be field paths');
        parseWritableFieldPath(p);
      }
    }
  }
  checkTransforms(w.updateTransforms);
  checkPreconditionShape(w.currentDocument);
  return name;
}

function checkTransforms(ts: unknown): void {
  if (ts === undefined) return;
  if (!Array.isArray(ts)) throw invalid('Invalid transforms');
  for (const t of ts as readonly unknown[]) {
    requireObject(t, 'FieldTransform');
    if (typeof t.fieldPath !== 'string') throw invalid('A transform needs a fieldPath');
    parseWritableFieldPath(t.fieldPath);
    const kind = oneOf(t, TRANSFORM_TYPES, 'FieldTransform');
    if (kind === undefined) throw invalid(`Transform on ${t.fieldPath.slice(0, 200)} has no operation`);
    const operand: unknown = t[kind];
    if (kind === 'setToServerValue') {
      if (operand !== 'REQUEST_TIME') throw invalid('Unknown server value');
    } else if (kind === 'appendMissingElements' || kind === 'removeAllFromArray') {
      requireObject(operand, kind);
      checkValue({ arrayValue: operand });
    } else {
      checkValue(operand);
    }
  }
}

function checkPreconditionShape(p: unknown): void {
  if (p === undefined) return;
  requireObject(p, 'currentDocument');
  const cond = oneOf(p, ['exists', 'updateTime'], 'Precondition');
  if (cond === 'exists' && typeof p.exists !== 'boolean') throw invalid('currentDocument.exists must be a boolean');
  if (cond === 'updateTime') {
    if (typeof p.updateTime !== 'string') throw invalid('currentDocument.updateTime must be a timestamp');
    parseTimestamp(p.updateTime);
  }
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
  const path = parseWritableFieldPath(t.fieldPath);
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
 * Applies one write to `existing` at commit time `commitTime`. Pure: returns the new state. The precondition is
 * checked unless `checkPreconditions` is false: the engine first computes a commit without them to judge it under
 * the rules, so that a caller the rules deny learns nothing from a failed precondition.
 * @param w - the write, already validated
 * @param name - its document, as writeTarget(w) returned it (writeTarget is what validates the write)
 * @throws FirestoreError for a failed precondition or invalid input
 */
export function applyWrite(
  w: Write,
  name: string,
  existing: Document | null,
  commitTime: string,
  checkPreconditions = true,
): AppliedWrite {
  if (checkPreconditions) checkPrecondition(name, w.currentDocument, existing);
  if (w.verify !== undefined) return { after: existing, changes: false, transformResults: undefined };
  if (w.delete !== undefined) return { after: null, changes: existing !== null, transformResults: undefined };

  let fields: Fields;
  if (w.update) {
    const incoming = w.update.fields ?? {};
    if (w.updateMask) {
      fields = existing ? clone(existing.fields) : {};
      for (const p of w.updateMask.fieldPaths ?? []) {
        const segs = parseWritableFieldPath(p);
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
