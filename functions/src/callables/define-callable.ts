/**
 * Every callable goes through here: the caller must be signed in and hold one of the roles; the payload is parsed
 * with its domain schema (unknown keys, wrong types, over-long strings and `__proto__` keys are refused with
 * invalid-argument and the offending fields); errors reach the client as HttpsError with a safe message, details go to
 * the logs, refusals to the audit log. The handler is a plain function, testable without the Functions runtime.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import type { z } from 'zod';
import { CALLABLES, type CallableName, type Role } from '@telesalud/domain';
import { auditRoleOf, writeAudit } from '../audit';
import { logs } from '../logs';

export interface Caller {
  uid: string;
  roles: Role[];
  /** Ties logs and audit entries of this call together. */
  requestId: string;
}

export interface CallableSpec<S extends z.ZodType, R> {
  name: string;
  schema: S;
  /** Roles of which the caller must hold at least one (from custom claims). */
  roles: readonly Role[];
  handler: (data: z.output<S>, caller: Caller) => Promise<R>;
}

/** The request schema of a callable, from the domain's registry. */
type RequestOf<N extends CallableName> = (typeof CALLABLES)[N]['request'];

/**
 * The spec of one callable, its name tying it to its request schema in CALLABLES (the web calls it by that name).
 * @param name - a CALLABLES key
 * @param roles - roles of which the caller must hold one
 * @param handler - the work, given the parsed request and the caller
 */
export function callableSpec<N extends CallableName, R>(
  name: N,
  roles: readonly Role[],
  handler: (data: z.output<RequestOf<N>>, caller: Caller) => Promise<R>,
): CallableSpec<RequestOf<N>, R> {
  return { name, schema: CALLABLES[name].request, roles, handler };
}

const ROLE_SET = new Set<string>(['patient', 'specialist', 'staff', 'admin']);

function rolesOf(token: Record<string, unknown> | undefined): Role[] {
  const claimed = token?.roles;
  return Array.isArray(claimed) ? claimed.filter((r): r is Role => typeof r === 'string' && ROLE_SET.has(r)) : [];
}

/**
 * True when the value (at any depth) has an own `__proto__` key, or an object whose prototype is not a plain
 * object's. JSON.parse makes own `__proto__` keys; firebase-functions then decodes the body by assignment, which turns
 * such a key into the object's prototype, where zod reads inherited fields as if they were sent. Both shapes are
 * hostile and must never reach a parse or a merge.
 */
function hasProtoKey(v: unknown, depth = 0): boolean {
  if (depth > 32 || v === null || typeof v !== 'object') return false;
  if (Object.prototype.hasOwnProperty.call(v, '__proto__')) return true;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return true;
  return Object.values(v).some((x) => hasProtoKey(x, depth + 1));
}

/** Request ids end up in audit entries (auditEntrySchema's pattern); a client-sent trace header is not trusted. */
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The short machine reason of a refusal for the audit log: a handler's `details.reason` when it has one, else the
 * (safe, short) message.
 */
function reasonOf(e: HttpsError): string {
  const details: unknown = e.details;
  const reason = typeof details === 'object' && details !== null && 'reason' in details ? details.reason : undefined;
  return typeof reason === 'string' && /^[a-z0-9-]{1,64}$/.test(reason) ? reason : e.message.slice(0, 200);
}

/**
 * Builds the handler given to onCall.
 * @param db - the admin Firestore, for the audit log
 * @param spec - name, schema, roles and the plain handler
 */
export function defineCallable<S extends z.ZodType, R>(db: Firestore, spec: CallableSpec<S, R>): (request: CallableRequest<unknown>) => Promise<R> {
  return async (request) => {
    const trace = request.rawRequest?.header?.('x-cloud-trace-context')?.split('/')[0];
    const requestId = trace && REQUEST_ID.test(trace) ? trace : crypto.randomUUID();
    const uid = request.auth?.uid ?? null;
    const roles = rolesOf(request.auth?.token);
    const refuse = async (code: 'unauthenticated' | 'permission-denied', reason: string): Promise<never> => {
      logs.callableDenied(spec.name, uid, reason, requestId);
      await writeAudit(db, { who: uid, role: auditRoleOf(uid, roles), action: 'callable.denied', target: `callables/${spec.name}`, outcome: 'denied', requestId, reason });
      throw new HttpsError(code, code === 'unauthenticated' ? 'Sign in first.' : 'You are not allowed to do this.');
    };
    if (!uid) return refuse('unauthenticated', 'signed-out');
    if (!spec.roles.some((r) => roles.includes(r))) return refuse('permission-denied', 'missing-role');
    // The raw JSON body still holds the own `__proto__` keys that decoding turned into prototypes.
    const rawBody: unknown = request.rawRequest?.body;
    if (hasProtoKey(request.data) || hasProtoKey(rawBody)) throw new HttpsError('invalid-argument', 'The request holds a forbidden key (__proto__).');
    const parsed = spec.schema.safeParse(request.data);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(request)'))].slice(0, 10);
      throw new HttpsError('invalid-argument', `Invalid request: ${fields.join(', ')}`, { fields });
    }
    try {
      return await spec.handler(parsed.data, { uid, roles, requestId });
    } catch (e) {
      if (e instanceof HttpsError) {
        if (e.code === 'permission-denied') {
          await writeAudit(db, { who: uid, role: auditRoleOf(uid, roles), action: 'callable.denied', target: `callables/${spec.name}`, outcome: 'denied', requestId, reason: reasonOf(e) });
        }
        throw e;
      }
      logs.callableFailed(spec.name, requestId, e);
      throw new HttpsError('internal', 'Something went wrong on our side; nothing was changed. Please try again.');
    }
  };
}
