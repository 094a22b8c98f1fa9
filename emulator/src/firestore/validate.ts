/**
 * Structural validation of the requests every transport hands to the engine. Proto messages with a oneof (a filter,
 * a value, a write, a listen target, a consistency selector…) are read by several parts of the engine; if a message
 * set two members, one part could act on one member and another part on the other (the rules judging one filter
 * while the query runs another). So a message that sets more than one member of a oneof is refused here, before
 * anything reads it, with INVALID_ARGUMENT — on REST, WebChannel and gRPC alike, since they all arrive here.
 */
import { Code, FirestoreError, type Aggregation, type Target, type TransactionOptions } from './types';
import { parseFieldPath, parseTimestamp } from './values';

function invalid(message: string): FirestoreError {
  return new FirestoreError(Code.INVALID_ARGUMENT, message);
}

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Refuses anything but a JSON object.
 * @param v - the untrusted message
 * @param what - the message's name, for the error
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function requireObject(v: unknown, what: string): asserts v is Record<string, unknown> {
  if (!isObject(v)) throw invalid(`${what} must be an object`);
}

/**
 * The one member of a oneof that `msg` sets, or undefined when it sets none. A member counts as set whenever its key
 * is present with any value but undefined (JSON `null` included: a present-but-null member is still a claim on the
 * oneof, and the code reading it must not be left to guess).
 * @param msg - the message holding the oneof
 * @param members - the oneof's member names
 * @param what - the oneof's name, for the error
 * @throws FirestoreError INVALID_ARGUMENT when two or more members are set
 */
export function oneOf<K extends string>(msg: Record<string, unknown>, members: readonly K[], what: string): K | undefined {
  let found: K | undefined;
  for (const m of members) {
    if (!Object.hasOwn(msg, m) || msg[m] === undefined) continue;
    if (found !== undefined) throw invalid(`${what} sets both ${found} and ${m}; set exactly one of ${members.join(', ')}`);
    found = m;
  }
  return found;
}

/**
 * Validates a TransactionOptions message (mode oneof: readOnly | readWrite).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkTransactionOptions(o: unknown): asserts o is TransactionOptions | undefined {
  if (o === undefined) return;
  requireObject(o, 'TransactionOptions');
  const mode = oneOf(o, ['readOnly', 'readWrite'], 'TransactionOptions');
  if (mode === undefined) return;
  const m = o[mode];
  requireObject(m, `TransactionOptions.${mode}`);
  if (mode === 'readOnly' && m.readTime !== undefined) checkTime(m.readTime, 'readOnly.readTime');
  if (mode === 'readWrite' && m.retryTransaction !== undefined && typeof m.retryTransaction !== 'string')
    throw invalid('readWrite.retryTransaction must be a string');
}

function checkTime(v: unknown, what: string): void {
  if (typeof v !== 'string') throw invalid(`${what} must be a timestamp`);
  parseTimestamp(v);
}

/** The consistency selector of reads: at most one of transaction, newTransaction, readTime. */
function checkConsistency(req: Record<string, unknown>, what: string): void {
  const sel = oneOf(req, ['transaction', 'newTransaction', 'readTime'], what);
  if (sel === 'transaction' && (typeof req.transaction !== 'string' || req.transaction === ''))
    throw invalid(`${what}.transaction must be a transaction id`);
  if (sel === 'newTransaction') checkTransactionOptions(req.newTransaction);
  if (sel === 'readTime') checkTime(req.readTime, `${what}.readTime`);
}

/**
 * Parses an untrusted field path (see parseFieldPath).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function fieldPathOf(v: unknown, what: string): string[] {
  if (typeof v !== 'string') throw invalid(`${what} must be a field path string`);
  return parseFieldPath(v);
}

function checkMask(mask: unknown, what: string): void {
  if (mask === undefined) return;
  requireObject(mask, what);
  const paths = mask.fieldPaths;
  if (paths === undefined) return;
  if (!Array.isArray(paths)) throw invalid(`${what}.fieldPaths must be a list`);
  for (const p of paths as readonly unknown[]) fieldPathOf(p, `${what}.fieldPaths`);
}

/**
 * Validates a BatchGetDocuments request's shape (documents list, mask, consistency selector).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkBatchGetRequest(req: unknown): void {
  requireObject(req, 'BatchGetDocumentsRequest');
  if (!Array.isArray(req.documents)) throw invalid('documents must be a list');
  for (const n of req.documents as readonly unknown[]) if (typeof n !== 'string') throw invalid('documents must be names');
  checkMask(req.mask, 'mask');
  checkConsistency(req, 'BatchGetDocumentsRequest');
}

/**
 * Validates a RunQuery request's envelope (the query itself is normalised by NormalQuery.parse).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkRunQueryRequest(req: unknown): void {
  requireObject(req, 'RunQueryRequest');
  if (typeof req.parent !== 'string') throw invalid('runQuery needs a parent');
  checkConsistency(req, 'RunQueryRequest');
}

/**
 * Validates a RunAggregationQuery request's envelope and its aggregations (operator oneof: count | sum | avg).
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkAggregationRequest(req: unknown): void {
  requireObject(req, 'RunAggregationQueryRequest');
  if (typeof req.parent !== 'string') throw invalid('runAggregationQuery needs a parent');
  checkConsistency(req, 'RunAggregationQueryRequest');
  const saq = req.structuredAggregationQuery;
  requireObject(saq, 'structuredAggregationQuery');
  if (!Array.isArray(saq.aggregations)) throw invalid('structuredAggregationQuery.aggregations must be a list');
  for (const a of saq.aggregations as readonly unknown[]) checkAggregation(a);
}

function checkAggregation(a: unknown): asserts a is Aggregation {
  requireObject(a, 'Aggregation');
  if (a.alias !== undefined && (typeof a.alias !== 'string' || a.alias === '')) throw invalid('An aggregation alias must be a non-empty string');
  const op = oneOf(a, ['count', 'sum', 'avg'], 'Aggregation');
  if (op === undefined) throw invalid('An aggregation needs one of count, sum, avg');
  const body = a[op];
  requireObject(body, `Aggregation.${op}`);
  if (op === 'count') return;
  const field = body.field;
  requireObject(field, `Aggregation.${op}.field`);
  const segs = fieldPathOf(field.fieldPath, `Aggregation.${op}.field`);
  if (segs.length === 1 && segs[0] === '__name__') throw invalid(`${op} cannot aggregate __name__`);
}

/**
 * Validates a Listen target: target_type oneof (query | documents), resume_type oneof (resumeToken | readTime).
 * The query of a query target is normalised when the target is compiled, with the same code as runQuery.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkTarget(t: unknown): asserts t is Target {
  requireObject(t, 'Target');
  if (typeof t.targetId !== 'number' || !Number.isInteger(t.targetId)) throw invalid('targetId must be an integer');
  const kind = oneOf(t, ['query', 'documents'], 'Target');
  if (kind === undefined) throw invalid('A target needs a query or documents');
  const body = t[kind];
  requireObject(body, `Target.${kind}`);
  if (kind === 'query') {
    if (typeof body.parent !== 'string') throw invalid('A query target needs a parent');
    requireObject(body.structuredQuery, 'Target.query.structuredQuery');
  } else {
    if (!Array.isArray(body.documents)) throw invalid('Target.documents.documents must be a list');
    for (const n of body.documents as readonly unknown[]) if (typeof n !== 'string') throw invalid('Target documents must be names');
  }
  const resume = oneOf(t, ['resumeToken', 'readTime'], 'Target');
  if (resume === 'resumeToken' && typeof t.resumeToken !== 'string') throw invalid('resumeToken must be bytes');
  if (resume === 'readTime') checkTime(t.readTime, 'Target.readTime');
}

/**
 * Validates one ListenRequest (target_change oneof: addTarget | removeTarget), before either is acted on.
 * @throws FirestoreError INVALID_ARGUMENT
 */
export function checkListenRequest(req: unknown): void {
  requireObject(req, 'ListenRequest');
  const change = oneOf(req, ['addTarget', 'removeTarget'], 'ListenRequest');
  if (change === 'removeTarget' && (typeof req.removeTarget !== 'number' || !Number.isInteger(req.removeTarget)))
    throw invalid('removeTarget must be a target id');
}
