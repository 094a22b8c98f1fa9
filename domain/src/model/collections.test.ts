import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COLLECTIONS, type CollectionSpec } from './collections';
import { paths } from '../paths';

const placeholders = (pattern: string) => [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

describe('COLLECTIONS', () => {
  it('names every collection once, and every pattern once', () => {
    expect(new Set(COLLECTIONS.map((c) => c.name)).size).toBe(COLLECTIONS.length);
    expect(new Set(COLLECTIONS.map((c) => c.pattern)).size).toBe(COLLECTIONS.length);
  });

  it.each(COLLECTIONS.map((c) => [c.name, c] as const))('%s: its path builder produces its pattern', (_name, c) => {
    const names = placeholders(c.pattern);
    // The spec's type, not the literal one: each builder takes its own number of ids.
    const build: CollectionSpec['build'] = c.build;
    expect(build.length).toBe(names.length);
    expect(build(...names.map((n) => `{${n}}`))).toBe(c.pattern);
  });

  it.each(COLLECTIONS.map((c) => [c.name, c] as const))(
    '%s: client fields exist in a strict schema and only client-written collections have them',
    (_name, c) => {
      expect(c.schema).toBeInstanceOf(z.ZodObject);
      const shape = c.schema instanceof z.ZodObject ? Object.keys(c.schema.shape) : [];
      const spec: { create?: readonly string[]; update?: readonly string[] } =
        'clientFields' in c ? c.clientFields : {};
      for (const f of [...(spec.create ?? []), ...(spec.update ?? [])]) expect(shape).toContain(f);
      const clientWritten = c.writers.some((w) => w.startsWith('client:'));
      expect('clientFields' in c).toBe(clientWritten);
    },
  );

  it.each([
    'auditLog',
    'idempotency',
    'stripeEvents',
    'slotLocks',
    'appointments',
    'transactions',
    'clinicMembers',
    'portalGrants',
    'reviewReceipts',
  ])('%s is written by the server only', (name) => {
    expect(COLLECTIONS.find((c) => c.name === name)?.writers).toEqual(['server']);
  });

  it('keeps clinical notes to the specialist of the appointment', () => {
    const notes = COLLECTIONS.find((c) => c.name === 'clinicalNotes');
    expect(notes?.readableBy).toEqual(['specialist:participant']);
    expect(notes?.writers).toEqual(['client:specialist']);
  });
});

describe('paths', () => {
  it('keeps the entries that existed before the data model', () => {
    expect(paths.user('u')).toBe('users/u');
    expect(paths.clinic('c')).toBe('clinics/c');
    expect(paths.clinicMember('c', 'u')).toBe('clinics/c/members/u');
    expect(paths.specialists()).toBe('specialists');
    expect(paths.specialist('u')).toBe('specialists/u');
    expect(paths.office('u', 'o')).toBe('specialists/u/offices/o');
    expect(paths.review('u', 'r')).toBe('specialists/u/reviews/r');
  });

  it.each([
    ['clinicMembers', paths.clinicMembers('c'), 'clinicMember', paths.clinicMember('c', 'x')],
    ['clinicPatients', paths.clinicPatients('c'), 'clinicPatient', paths.clinicPatient('c', 'x')],
    ['patientDocuments', paths.patientDocuments('c', 'p'), 'patientDocument', paths.patientDocument('c', 'p', 'x')],
    ['consents', paths.consents('c', 'p'), 'consent', paths.consent('c', 'p', 'x')],
    ['questionnaires', paths.questionnaires('c'), 'questionnaire', paths.questionnaire('c', 'x')],
    ['offices', paths.offices('u'), 'office', paths.office('u', 'x')],
    ['reviews', paths.reviews('u'), 'review', paths.review('u', 'x')],
    ['exceptions', paths.exceptions('u'), 'exception', paths.exception('u', 'x')],
    ['notifications', paths.notifications('u'), 'notification', paths.notification('u', 'x')],
    ['appointments', paths.appointments(), 'appointment', paths.appointment('x')],
    [
      'appointmentHistory',
      paths.appointmentHistory('a'),
      'appointmentHistoryEntry',
      paths.appointmentHistoryEntry('a', 'x'),
    ],
    ['clinicalNotes', paths.clinicalNotes('a'), 'clinicalNote', paths.clinicalNote('a', 'x')],
    ['availabilityRequests', paths.availabilityRequests(), 'availabilityRequest', paths.availabilityRequest('x')],
    ['conversations', paths.conversations(), 'conversation', paths.conversation('x')],
    ['messages', paths.messages('c'), 'message', paths.message('c', 'x')],
    ['transactions', paths.transactions(), 'transaction', paths.transaction('x')],
    ['clinics', paths.clinics(), 'clinic', paths.clinic('x')],
    ['specialists', paths.specialists(), 'specialist', paths.specialist('x')],
  ])('the collection %s holds the documents of %s', (_c, collection, _d, document) => {
    expect(`${collection}/x`).toBe(document);
  });
});
