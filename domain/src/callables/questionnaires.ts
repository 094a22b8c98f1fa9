/**
 * saveQuestionnaire: the clinic's staff create or edit a questionnaire. It goes through a function because a typed
 * list of up to 50 questions (each with up to 20 options) cannot be validated by security rules; the server parses
 * it with questionnaireSchema and bumps the version whenever the content changes.
 *
 * submitAnswers: the patient (with an active portal grant) or the clinic's staff at the front desk submits answers to
 * a questionnaire; the server checks them with answerIssues against the version answered.
 */
import { z } from 'zod';
import { id } from '../model/common';
import { answersMapSchema, questionnaireAnswersSchema, questionnaireSchema } from '../model/questionnaire';

export const submitAnswersRequestSchema = z.strictObject({
  clinicId: id,
  questionnaireId: id,
  questionnaireVersion: questionnaireAnswersSchema.shape.questionnaireVersion,
  appointmentId: id.optional(),
  answers: answersMapSchema,
  /** Staff entering answers for a patient name the patient; a patient answering for themselves leaves it out. */
  patientUid: id.optional(),
});
export type SubmitAnswersRequest = z.infer<typeof submitAnswersRequestSchema>;

export const submitAnswersResponseSchema = z.strictObject({ answerId: id });
export type SubmitAnswersResponse = z.infer<typeof submitAnswersResponseSchema>;

export const saveQuestionnaireRequestSchema = z.strictObject({
  clinicId: id,
  /** Absent: a new questionnaire. */
  questionnaireId: id.optional(),
  title: questionnaireSchema.shape.title,
  description: questionnaireSchema.shape.description,
  active: questionnaireSchema.shape.active,
  questions: questionnaireSchema.shape.questions,
});
export type SaveQuestionnaireRequest = z.infer<typeof saveQuestionnaireRequestSchema>;

export const saveQuestionnaireResponseSchema = z.strictObject({
  questionnaireId: id,
  version: questionnaireSchema.shape.version,
});
export type SaveQuestionnaireResponse = z.infer<typeof saveQuestionnaireResponseSchema>;
