import { describe, expect, it } from 'vitest';
import { id } from '../model/common';
import { appointmentIdFromLink, deliveryId, isServiceNotificationId, retryDelayMs, serviceNotificationId, toE164 } from './delivery';

describe('deliveryId', () => {
  it('is one per (source, recipient, channel), never shared by two triples, and has no slash', () => {
    const triples: [string, string, 'email' | 'sms'][] = [
      ['users/u/notifications/n', 'u', 'email'],
      ['users/u/notifications/n', 'u', 'sms'],
      ['users/u/notifications/n|u', 'email', 'email'],
      ['users/u/notifications/n', 'u|email', 'email'],
      ['appointment:a:booked', 'u', 'email'],
    ];
    const ids = triples.map(([s, u, c]) => deliveryId(s, u, c));
    expect(new Set(ids).size).toBe(ids.length);
    for (const i of ids) expect(i).not.toContain('/');
    expect(deliveryId('users/u/notifications/n', 'u', 'email')).toBe(deliveryId('users/u/notifications/n', 'u', 'email'));
  });
});

describe('serviceNotificationId', () => {
  it('is a plain id, distinct for sources that differ only in punctuation, and recognised by its prefix', () => {
    const a = serviceNotificationId('appointment:a_b:booked');
    const b = serviceNotificationId('appointment:a:b:booked');
    const c = serviceNotificationId('appointment_a_b_booked');
    expect(new Set([a, b, c]).size).toBe(3);
    for (const x of [a, b, c]) {
      expect(id.safeParse(x).success).toBe(true);
      expect(isServiceNotificationId(x)).toBe(true);
    }
    // Firestore's automatic ids: 20 letters and digits.
    expect(isServiceNotificationId('Xy3kP0qLm9TzA1bC2dE4')).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 1000],
    [2, 4000],
    [3, 16_000],
    [6, 600_000],
    [50, 600_000],
  ])('after %i failures waits %i ms', (attempt, ms) => expect(retryDelayMs(attempt)).toBe(ms));
  it.each([0, -1, 1.5])('refuses attempt %s', (a) => expect(() => retryDelayMs(a)).toThrow(RangeError));
});

describe('toE164', () => {
  it.each([
    ['+57 300 555 0101', '+573005550101'],
    ['+34 (600) 555-105', '+34600555105'],
    ['+56 9 5555 0104', '+56955550104'],
    ['300 555 0101', null],
    ['+0 123 456 789', null],
    ['+1 23', null],
  ])('%s → %s', (phone, e164) => expect(toE164(phone)).toBe(e164));
});

describe('appointmentIdFromLink', () => {
  it.each([
    ['/citas/abc123', 'abc123'],
    ['/citas/abc/../x', null],
    ['/conversaciones/abc', null],
    ['/citas/', null],
  ])('%s → %s', (link, idOrNull) => expect(appointmentIdFromLink(link)).toBe(idOrNull));
});
