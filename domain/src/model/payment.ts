/**
 * Money records, all server-written: transactions/{transactionId} (one charge or cash payment of an appointment),
 * payouts/{payoutId} (what a specialist is paid for a month) and stripeEvents/{eventId} (webhook dedupe).
 * Amounts are computed by the server from the appointment's price; never from a client.
 */
import { z } from 'zod';
import { id, longText, money, timestampSchema, yearMonth } from './common';

export const PAYMENT_PROVIDERS = ['stripe', 'cash'] as const;
export const TRANSACTION_STATUSES = ['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const transactionSchema = z
  .strictObject({
    appointmentId: id,
    patientUid: id,
    specialistUid: id,
    /** Amount and currency together, in minor units. */
    amount: money,
    /** What has been given back; present once a refund happened. */
    refunded: money.optional(),
    provider: z.enum(PAYMENT_PROVIDERS),
    status: z.enum(TRANSACTION_STATUSES),
    /** The provider's id (PaymentIntent "pi_…"); absent for cash. */
    providerRef: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,255}$/)
      .optional(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema.optional(),
  })
  .superRefine((t, ctx) => {
    const fail = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (t.provider === 'stripe' && t.providerRef === undefined && t.status !== 'pending')
      fail('A Stripe charge has its id', 'providerRef');
    if (t.provider === 'cash' && t.providerRef !== undefined) fail('Cash has no provider id', 'providerRef');
    const refundStatus = t.status === 'refunded' || t.status === 'partially_refunded';
    if (refundStatus !== (t.refunded !== undefined)) fail('refunded iff a refund status', 'refunded');
    if (t.refunded) {
      if (t.refunded.currency !== t.amount.currency) fail('Refund in another currency', 'refunded');
      if (t.status === 'refunded' && t.refunded.amount !== t.amount.amount)
        fail('A full refund equals the amount', 'refunded');
      if (t.status === 'partially_refunded' && !(t.refunded.amount > 0 && t.refunded.amount < t.amount.amount)) {
        fail('A partial refund is between zero and the amount', 'refunded');
      }
    }
  });
export type Transaction = z.infer<typeof transactionSchema>;

export const PAYOUT_STATUSES = ['pending', 'paid', 'failed'] as const;

/**
 * The id of a specialist's payout for a month: deterministic, so the monthly job is idempotent.
 * @param specialistUid - who is paid
 * @param period - 'YYYY-MM'
 */
export function payoutId(specialistUid: string, period: string): string {
  return `${specialistUid}_${period}`;
}

export const payoutSchema = z
  .strictObject({
    specialistUid: id,
    /** 'YYYY-MM' in UTC. */
    period: yearMonth,
    amount: money,
    status: z.enum(PAYOUT_STATUSES),
    transactionCount: z.number().int().nonnegative().max(100_000),
    createdAt: timestampSchema,
    paidAt: timestampSchema.optional(),
  })
  .refine((p) => (p.status === 'paid') === (p.paidAt !== undefined), { message: 'paidAt iff paid', path: ['paidAt'] });
export type Payout = z.infer<typeof payoutSchema>;

/** stripeEvents/{eventId}: created before an event is handled, so a redelivered event is recognised and skipped. */
export const stripeEventSchema = z.strictObject({
  type: z.string().regex(/^[a-z_.]{1,128}$/),
  receivedAt: timestampSchema,
  processedAt: timestampSchema.optional(),
  outcome: z.enum(['processed', 'ignored', 'failed']).optional(),
  /** A safe summary of a failure (no card data, no PHI). */
  error: longText(500).optional(),
});
export type StripeEvent = z.infer<typeof stripeEventSchema>;
