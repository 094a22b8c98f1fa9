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
  checkedFieldsSize,
  checkValue,
  clone,
  compareTimestamps,
  compareValues,
  fieldsSize,
  getField,
  isNumber,
  parseTimestamp,
  parseWritableFieldPath,
  sameFields,
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
 * A write validated by checkWrite, with what applying it needs worked out once: the commit applies it at least twice
 * (once for the rules, once under the locks), and nothing after the door parses its paths or walks its values again.
 */
export interface CheckedWrite {
  readonly write: Write;
  /** The document it targets. */
  readonly name: string;
  /** Parsed paths of `updateMask`, when it has one. */
  readonly mask: readonly (readonly string[])[] | undefined;
  /** Its field transforms (`updateTransforms`, or a legacy transform's `fieldTransforms`) with parsed paths. */
  readonly transforms: readonly { readonly transform: FieldTransform; readonly path: readonly string[] }[];
  /**
   * Storage size of `update.fields`, measured while validating them. A set with neither mask nor transforms stores
   * exactly those fields, so its size needs no second walk.
   */
  readonly fieldsBytes: number | undefined;
}

/**
 * Validates one untrusted write, whole, before anything acts on it: one operation (update | delete | verify |
 * transform), a precondition with one condition, update fields and transform operands that are valid values, and
 * field paths (mask, transforms) that are not reserved names.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkWrite(w: Write): CheckedWrite {
  // `w` is what a transport decoded: its type is a claim, checked here member by member on `raw`.
  const raw: unknown = w;
  if (!isObject(raw)) throw invalid('Invalid write');
  const op = oneOf(raw, OPERATIONS, 'Write');
  if (op === undefined) throw invalid('A write needs exactly one of update, delete, verify, transform');
  let name: unknown;
  let fieldsBytes: number | undefined;
  let transformPaths: (readonly string[])[] = [];
  if (op === 'update') {
    const u = raw.update;
    requireObject(u, 'Write.update');
    name = u.name;
    fieldsBytes = u.fields === undefined ? 0 : checkedFieldsSize(u.fields);
    transformPaths = checkTransforms(raw.updateTransforms);
  } else if (op === 'transform') {
    const t = raw.transform;
    requireObject(t, 'Write.transform');
    name = t.document;
    transformPaths = checkTransforms(t.fieldTransforms);
  } else {
    name = raw[op];
  }
  if (typeof name !== 'string') throw invalid('A write needs a document name');
  docName(name);
  if (op !== 'update' && (raw.updateMask !== undefined || raw.updateTransforms !== undefined))
    throw invalid('updateMask and updateTransforms belong to update writes only');
  let mask: (readonly string[])[] | undefined;
  if (raw.updateMask !== undefined) {
    const m = raw.updateMask;
    requireObject(m, 'updateMask');
    const paths = m.fieldPaths;
    mask = [];
    if (paths !== undefined) {
      if (!Array.isArray(paths)) throw invalid('updateMask.fieldPaths must be a list');
      for (const p of paths as readonly unknown[]) {
        if (typeof p !== 'string') throw invalid('updateMask.fieldPaths must be field paths');
        mask.push(parseWritableFieldPath(p));
      }
    }
  }
  checkPreconditionShape(raw.currentDocument);
  const list = (op === 'update' ? w.updateTransforms : w.transform?.fieldTransforms) ?? [];
  const transforms = list.map((transform, i) => ({ transform, path: transformPaths[i] as readonly string[] }));
  return { write: w, name, mask, transforms, fieldsBytes };
}

/** Validates a list of transforms and returns the parsed path of each. */
function checkTransforms(ts: unknown): (readonly string[])[] {
  if (ts === undefined) return [];
  if (!Array.isArray(ts)) throw invalid('Invalid transforms');
  return (ts as readonly unknown[]).map((t) => {
    requireObject(t, 'FieldTransform');
    if (typeof t.fieldPath !== 'string') throw invalid('A transform needs a fieldPath');
    const path = parseWritableFieldPath(t.fieldPath);
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
    return path;
  });
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

function applyTransform(fields: Fields, t: FieldTransform, path: readonly string[], requestTime: string): Value {
  const current = getField(fields, path);
  let result: Value;
  if (t.setToServerValue !== undefined) {
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
    // checkWrite refused a transform without an operation; this keeps a hand-built one from passing silently.
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Transform on ${t.fieldPath} has no operation`);
  }
  setField(fields, path, clone(result));
  return result;
}

export interface AppliedWrite {
  /** The document after the write (null when deleted or absent after a verify on a missing doc). */
  after: Document | null;
  /**
   * Whether the write changed stored state. A verify does not, nor does a write that leaves the document as it was
   * (a mask naming only absent fields, a set of the same data): as in Firestore, its document keeps its update time
   * and no change is logged, dispatched to triggers or sent to listeners.
   */
  changes: boolean;
  transformResults: Value[] | undefined;
}

/**
 * Applies one write to `existing` at commit time `commitTime`. Pure: returns the new state. The precondition is
 * checked unless `checkPreconditions` is false: the engine first computes a commit without them to judge it under
 * the rules, so that a caller the rules deny learns nothing from a failed precondition.
 * @param c - the write, as checkWrite validated it
 * @throws FirestoreError for a failed precondition or a document over the size limit
 */
export function applyWrite(c: CheckedWrite, existing: Document | null, commitTime: string, checkPreconditions = true): AppliedWrite {
  const { write: w, name } = c;
  if (checkPreconditions) checkPrecondition(name, w.currentDocument, existing);
  if (w.verify !== undefined) return { after: existing, changes: false, transformResults: undefined };
  if (w.delete !== undefined) return { after: null, changes: existing !== null, transformResults: undefined };

  let fields: Fields;
  if (w.update) {
    const incoming = w.update.fields ?? {};
    if (c.mask) {
      fields = existing ? clone(existing.fields) : {};
      for (const segs of c.mask) {
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
  const transformResults = c.transforms.map((t) => applyTransform(fields, t.transform, t.path, commitTime));
  // A plain set stores the fields checkWrite measured; anything merged with the stored document or transformed is
  // measured (and checked, nesting included) as it will be stored.
  const plainSet = w.update !== undefined && !c.mask && c.transforms.length === 0;
  const bytes = plainSet && c.fieldsBytes !== undefined ? c.fieldsBytes : fieldsSize(fields);
  const size = Buffer.byteLength(name) + 16 + bytes + 32;
  if (size > MAX_DOCUMENT_BYTES)
    throw new FirestoreError(Code.INVALID_ARGUMENT, `Document ${name} is larger than the 1 MiB limit (${size} bytes)`);
  const results = c.transforms.length ? transformResults : undefined;
  if (existing && sameFields(existing.fields, fields)) return { after: existing, changes: false, transformResults: results };
  return {
    after: { name, fields, createTime: existing?.createTime ?? commitTime, updateTime: commitTime },
    changes: true,
    transformResults: results,
  };
}
