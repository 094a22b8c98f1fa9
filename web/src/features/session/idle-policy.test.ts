import { describe, expect, it } from 'vitest';
import {
  ABSOLUTE_LIMIT_MS,
  PATIENT_IDLE_MS,
  STRICT_IDLE_MS,
  WARNING_MS,
  idleLimitMs,
  idleVerdict,
  type IdleVerdict,
} from './idle-policy';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Any fixed instant: the policy only ever looks at differences.
const T0 = Date.UTC(2025, 2, 30, 0, 30);
/** Durations in ms. */
const m = (min: number, sec = 0) => min * MIN + sec * 1000;
const h = (hours: number, min = 0, sec = 0) => hours * HOUR + m(min, sec);

describe('idleLimitMs', () => {
  it.each([
    [[], PATIENT_IDLE_MS],
    [['patient'], PATIENT_IDLE_MS],
    [['something-new'], PATIENT_IDLE_MS],
    [['specialist'], STRICT_IDLE_MS],
    [['staff'], STRICT_IDLE_MS],
    [['admin'], STRICT_IDLE_MS],
    [['patient', 'specialist'], STRICT_IDLE_MS],
    [['patient', 'staff', 'admin'], STRICT_IDLE_MS],
  ] as const)('roles %j → %d ms', (roles, want) => {
    expect(idleLimitMs(roles)).toBe(want);
  });

  it('staff and specialists get 15 minutes, patients 30', () => {
    expect(STRICT_IDLE_MS).toBe(15 * MIN);
    expect(PATIENT_IDLE_MS).toBe(30 * MIN);
    expect(ABSOLUTE_LIMIT_MS).toBe(12 * HOUR);
    expect(WARNING_MS).toBe(MIN);
  });
});

describe('idleVerdict', () => {
  // [case, roles, time since sign-in, time since the latest activity, expected]
  const rows: [string, string[], number, number, IdleVerdict][] = [
    ['patient just signed in', ['patient'], 0, 0, { state: 'active', reason: 'idle', msLeft: 30 * MIN }],
    ['patient idle 28:59', ['patient'], m(60), m(28, 59), { state: 'active', reason: 'idle', msLeft: MIN + 1000 }],
    [
      'patient idle exactly 29:00 (warning opens)',
      ['patient'],
      m(60),
      m(29),
      { state: 'warning', reason: 'idle', msLeft: MIN },
    ],
    ['patient idle 29:59', ['patient'], m(60), m(29, 59), { state: 'warning', reason: 'idle', msLeft: 1000 }],
    ['patient idle exactly 30:00 (ends)', ['patient'], m(60), m(30), { state: 'expired', reason: 'idle', msLeft: 0 }],
    ['patient idle for hours', ['patient'], m(300), m(240), { state: 'expired', reason: 'idle', msLeft: 0 }],
    ['staff idle 13:59', ['staff'], m(60), m(13, 59), { state: 'active', reason: 'idle', msLeft: MIN + 1000 }],
    ['staff idle 14:00', ['staff'], m(60), m(14), { state: 'warning', reason: 'idle', msLeft: MIN }],
    ['staff idle 15:00', ['staff'], m(60), m(15), { state: 'expired', reason: 'idle', msLeft: 0 }],
    ['specialist idle 15:00', ['specialist'], m(60), m(15), { state: 'expired', reason: 'idle', msLeft: 0 }],
    ['admin idle 15:00', ['admin'], m(60), m(15), { state: 'expired', reason: 'idle', msLeft: 0 }],
    [
      'patient who is also staff: strictest wins',
      ['patient', 'staff'],
      m(60),
      m(20),
      { state: 'expired', reason: 'idle', msLeft: 0 },
    ],
    [
      'patient idle 20 min is still fine',
      ['patient'],
      m(60),
      m(20),
      { state: 'active', reason: 'idle', msLeft: 10 * MIN },
    ],
    [
      'active patient at 11:58 of session',
      ['patient'],
      h(11, 58),
      0,
      { state: 'active', reason: 'absolute', msLeft: 2 * MIN },
    ],
    [
      'active patient at 11:59 of session (warning)',
      ['patient'],
      h(11, 59),
      0,
      { state: 'warning', reason: 'absolute', msLeft: MIN },
    ],
    ['active patient at 12:00 of session', ['patient'], h(12), 0, { state: 'expired', reason: 'absolute', msLeft: 0 }],
    ['active staff long after 12 hours', ['staff'], h(13), 0, { state: 'expired', reason: 'absolute', msLeft: 0 }],
    [
      'both limits at the same instant: absolute',
      ['patient'],
      h(12),
      m(30),
      { state: 'expired', reason: 'absolute', msLeft: 0 },
    ],
    [
      'idle limit first, absolute soon after',
      ['staff'],
      h(11, 50),
      m(14),
      { state: 'warning', reason: 'idle', msLeft: MIN },
    ],
    [
      'idle limit comes first, even near the absolute one',
      ['patient'],
      h(11, 50),
      m(25),
      { state: 'active', reason: 'idle', msLeft: 5 * MIN },
    ],
    [
      'absolute limit comes first',
      ['patient'],
      h(11, 59, 30),
      m(10),
      { state: 'warning', reason: 'absolute', msLeft: 30_000 },
    ],
  ];

  it.each(rows)('%s', (_name, roles, sinceSignIn, sinceActivity, want) => {
    const now = T0 + 24 * HOUR;
    expect(idleVerdict({ roles, signedInAt: now - sinceSignIn, lastActivity: now - sinceActivity, now })).toEqual(want);
  });

  it('a clock set backwards (activity and sign-in in the future) cannot stretch a limit beyond its length', () => {
    const now = T0;
    const v = idleVerdict({ roles: ['patient'], signedInAt: now + 5 * HOUR, lastActivity: now + HOUR, now });
    expect(v).toEqual({ state: 'active', reason: 'idle', msLeft: PATIENT_IDLE_MS });
  });

  it('depends only on differences, not on the instant or the time zone', () => {
    const at = (now: number) =>
      idleVerdict({ roles: ['staff'], signedInAt: now - HOUR, lastActivity: now - 14.5 * MIN, now });
    expect(at(T0)).toEqual(at(Date.UTC(2025, 9, 26, 1, 15)));
    expect(at(T0)).toEqual({ state: 'warning', reason: 'idle', msLeft: 30_000 });
  });
});
