/**
 * saveQuestionnaire: the clinic's staff (or an admin) create or edit a questionnaire. Security rules cannot validate
 * a typed list of up to 50 questions, so the content is parsed here with the domain schema. The version goes up by
 * one whenever the title, description or questions change, so answers always name the exact form they answered;
 * switching `active` alone keeps the version.
 */
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import type { Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { type CALLABLES, paths, questionnaireSchema, type SaveQuestionnaireRequest, type SaveQuestionnaireResponse } from '@telesalud/domain';
import { callableSpec, type Caller, type CallableSpec } from '../callables/define-callable';
import { logs } from '../logs';
import { assertClinicManager } from './authority';

/** The fields whose change makes a new version (what a patient reads and answers). */
function contentOf(q: { title: string; description?: string | undefined; questions: unknown }): string {
  return JSON.stringify([q.title, q.description ?? null, q.questions]);
}

/**
 * The plain handler.
 * @param req - the parsed request
 * @param caller - the signed-in caller
 * @param deps - admin Firestore
 */
export async function handleSaveQuestionnaire(req: SaveQuestionnaireRequest, caller: Caller, deps: { db: Firestore }): Promise<SaveQuestionnaireResponse> {
  const { db } = deps;
  const questionnaireId = req.questionnaireId ?? randomUUID().replace(/-/g, '');
  const ref = db.doc(paths.questionnaire(req.clinicId, questionnaireId));
  const version = await db.runTransaction(async (tx) => {
    await assertClinicManager(tx, db, req.clinicId, caller);
    const snap = await tx.get(ref);
    const now = Timestamp.now();
    const content = { title: req.title, ...(req.description !== undefined ? { description: req.description } : {}), active: req.active, questions: req.questions };
    if (!snap.exists) {
      if (req.questionnaireId) throw new HttpsError('not-found', 'There is no such questionnaire.', { reason: 'no-questionnaire' });
      tx.create(ref, questionnaireSchema.parse({ ...content, version: 1, createdAt: now, updatedAt: now, updatedBy: caller.uid }));
      return 1;
    }
    const stored = questionnaireSchema.safeParse(snap.data());
    // A stored questionnaire that breaks its schema is our bug: internal, and in the logs.
    if (!stored.success) throw new Error(`invalid questionnaire document ${ref.path}`);
    const next = contentOf(stored.data) === contentOf(content) ? stored.data.version : stored.data.version + 1;
    tx.set(ref, questionnaireSchema.parse({ ...content, version: next, createdAt: stored.data.createdAt, updatedAt: now, updatedBy: caller.uid }));
    return next;
  });
  logs.questionnaireSaved(req.clinicId, questionnaireId, version, caller.requestId);
  return { questionnaireId, version };
}

/**
 * The callable's spec for defineCallable.
 * @param deps - admin Firestore
 */
export function saveQuestionnaireCallable(deps: { db: Firestore }): CallableSpec<typeof CALLABLES.saveQuestionnaire.request, SaveQuestionnaireResponse> {
  return callableSpec('saveQuestionnaire', ['admin', 'staff'], (data, caller) => handleSaveQuestionnaire(data, caller, deps));
}
