/**
 * submitAnswers: the patient (with an active portal grant) or the clinic's staff at the front desk submits answers to
 * a questionnaire; the server checks them with answerIssues against the version answered.
 */
import { z } from 'zod';
import { id } from '../model/common';
import { answersMapSchema, questionnaireAnswersSchema } from '../model/questionnaire';

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
