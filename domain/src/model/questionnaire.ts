/**
 * clinics/{clinicId}/questionnaires/{questionnaireId} (forms the clinic writes: intake, pre-visit) and
 * clinics/{clinicId}/patients/{patientUid}/answers/{answerId} (one submission, written by submitAnswers after
 * `answerIssues` finds nothing wrong).
 */
import { z } from 'zod';
import { id, isoDate, isUnique, longText, safeRecord, shortText, timestampSchema } from './common';

/** A question's key inside its questionnaire; starting with a letter keeps `__proto__` and friends out of answer maps. */
export const questionKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Invalid question key');

const option = z.strictObject({ value: questionKey, label: shortText(200) });
const options = z
  .array(option)
  .min(2)
  .max(20)
  .refine((o) => isUnique(o.map((x) => x.value)), 'Duplicate option');

const base = { id: questionKey, label: shortText(300), help: longText(500).optional(), required: z.boolean() };

export const questionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('text'), maxLength: z.number().int().min(1).max(2000) }),
  z.strictObject({ ...base, kind: z.literal('yes_no') }),
  z.strictObject({ ...base, kind: z.literal('single_choice'), options }),
  z.strictObject({ ...base, kind: z.literal('multiple_choice'), options }),
  z
    .strictObject({
      ...base,
      kind: z.literal('number'),
      min: z.number().finite(),
      max: z.number().finite(),
      integer: z.boolean(),
    })
    .refine((q) => q.min < q.max, { message: 'min below max', path: ['max'] }),
  z.strictObject({ ...base, kind: z.literal('date') }),
  z
    .strictObject({
      ...base,
      kind: z.literal('scale'),
      min: z.number().int().min(0).max(10),
      max: z.number().int().min(1).max(10),
    })
    .refine((q) => q.min < q.max, { message: 'min below max', path: ['max'] }),
]);
export type Question = z.infer<typeof questionSchema>;

export const questionnaireSchema = z.strictObject({
  title: shortText(200),
  description: longText(2000).optional(),
  /** Incremented on every change; answers name the version they answered. */
  version: z.number().int().positive().max(10_000),
  active: z.boolean(),
  questions: z
    .array(questionSchema)
    .min(1)
    .max(50)
    .refine((qs) => isUnique(qs.map((q) => q.id)), 'Duplicate question id'),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  updatedBy: id,
});
export type Questionnaire = z.infer<typeof questionnaireSchema>;

/** One answer: text or a date as a string, yes/no as a boolean, a number, or the chosen option values. */
export const answerValueSchema = z.union([
  longText(2000),
  z.boolean(),
  z.number().finite(),
  z.array(questionKey).min(1).max(20),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;
export const answersMapSchema = safeRecord(questionKey, answerValueSchema, 50);

export const questionnaireAnswersSchema = z.strictObject({
  questionnaireId: id,
  questionnaireVersion: z.number().int().positive().max(10_000),
  appointmentId: id.optional(),
  answers: answersMapSchema,
  submittedAt: timestampSchema,
  /** The patient, or the staff member who typed the answers at the front desk. */
  submittedBy: id,
});
export type QuestionnaireAnswers = z.infer<typeof questionnaireAnswersSchema>;

/** Why one answer does not fit its question. */
export interface AnswerIssue {
  questionId: string;
  message: string;
}

function issueFor(q: Question, v: AnswerValue): string | null {
  switch (q.kind) {
    case 'text':
      return typeof v === 'string' && v.length <= q.maxLength ? null : `Expected text up to ${q.maxLength} characters`;
    case 'yes_no':
      return typeof v === 'boolean' ? null : 'Expected yes or no';
    case 'single_choice':
      return typeof v === 'string' && q.options.some((o) => o.value === v) ? null : 'Expected one of the options';
    case 'multiple_choice':
      return Array.isArray(v) && isUnique(v) && v.every((x) => q.options.some((o) => o.value === x))
        ? null
        : 'Expected some of the options';
    case 'number':
      return typeof v === 'number' && v >= q.min && v <= q.max && (!q.integer || Number.isInteger(v))
        ? null
        : `Expected a number from ${q.min} to ${q.max}`;
    case 'date':
      return typeof v === 'string' && isoDate.safeParse(v).success ? null : 'Expected a date YYYY-MM-DD';
    case 'scale':
      return typeof v === 'number' && Number.isInteger(v) && v >= q.min && v <= q.max
        ? null
        : `Expected ${q.min} to ${q.max}`;
  }
}

/**
 * Checks answers against the questionnaire they answer: no unknown question, every required one answered, each value of
 * its question's kind. Empty when the answers are acceptable.
 * @param questionnaire - the questionnaire, at the version answered
 * @param answers - the answers map as parsed by answersMapSchema
 */
export function answerIssues(questionnaire: Questionnaire, answers: Record<string, AnswerValue>): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const byId = new Map(questionnaire.questions.map((q) => [q.id, q]));
  for (const [questionId, value] of Object.entries(answers)) {
    const q = byId.get(questionId);
    const message = q ? issueFor(q, value) : 'Unknown question';
    if (message) issues.push({ questionId, message });
  }
  for (const q of questionnaire.questions) {
    if (q.required && !Object.prototype.hasOwnProperty.call(answers, q.id))
      issues.push({ questionId: q.id, message: 'Required' });
  }
  return issues;
}
