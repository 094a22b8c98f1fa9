/**
 * Every callable goes through here: the caller must be signed in and hold one of the roles; the payload is screened
 * for its shape (nesting, size, `__proto__` and `@type` keys; screen-payload.ts) and parsed with its domain schema
 * (unknown keys, wrong types, over-long strings are refused with invalid-argument and the offending fields); errors
 * reach the client as HttpsError with a safe message, details go to the logs, refusals to the audit log (a signed-out
 * caller's as one counter per callable, reason and minute, so a flood of them cannot grow the log without bound).
 * Request ids are made here: nothing the client sends becomes one. The handler is a plain function, testable without
 * the Functions runtime.
 */
import { randomUUID } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import type { z } from 'zod';
import { CALLABLES, type CallableName, type Role } from '@telesalud/domain';
import { auditRoleOf, countAnonymousRefusal, writeAudit } from '../audit';
import { logs } from '../logs';
import { payloadProblem, screenedProblemOf } from './screen-payload';

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

/**
 * The known roles among a token's `roles` claim; anything else in it is ignored.
 * @param token - decoded ID token claims, absent when signed out
 */
export function rolesOf(token: Record<string, unknown> | undefined): Role[] {
  const claimed = token?.roles;
  return Array.isArray(claimed) ? claimed.filter((r): r is Role => typeof r === 'string' && ROLE_SET.has(r)) : [];
}

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
    // Random, never the client's trace header: an audit entry's requestId must point at our own log lines only.
    const requestId = randomUUID();
    const uid = request.auth?.uid ?? null;
    const roles = rolesOf(request.auth?.token);
    const refuse = async (code: 'unauthenticated' | 'permission-denied', reason: string): Promise<never> => {
      logs.callableDenied(spec.name, uid, reason, requestId);
      if (uid === null) await countAnonymousRefusal(db, spec.name, reason, requestId);
      else await writeAudit(db, { who: uid, role: auditRoleOf(uid, roles), action: 'callable.denied', target: `callables/${spec.name}`, outcome: 'denied', requestId, reason });
      throw new HttpsError(code, code === 'unauthenticated' ? 'Sign in first.' : 'You are not allowed to do this.');
    };
    if (!uid) return refuse('unauthenticated', 'signed-out');
    if (!spec.roles.some((r) => roles.includes(r))) return refuse('permission-denied', 'missing-role');
    // Screened before decoding when exported through our onCall; the decoded data is screened too, for callers
    // that reach the handler another way (a prototype that decoding made from an own `__proto__` key is refused).
    const shapeProblem = screenedProblemOf(request.rawRequest) ?? payloadProblem(request.data);
    if (shapeProblem !== null) throw new HttpsError('invalid-argument', shapeProblem);
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
