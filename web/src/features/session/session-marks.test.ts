import { describe, expect, it } from 'vitest';
import { createSessionMarks, memoryStorage } from './session-marks';

describe('session marks', () => {
  it('keeps the latest activity and the sign-in time of one account, and forgets both', () => {
    const storage = memoryStorage();
    const marks = createSessionMarks(storage);
    expect(marks.lastActivity()).toBeNull();
    expect(marks.signedInAt('u1')).toBeNull();
    marks.setLastActivity(1_000);
    marks.setSignedInAt('u1', 500);
    // Another tab reads the same storage.
    const otherTab = createSessionMarks(storage);
    expect(otherTab.lastActivity()).toBe(1_000);
    expect(otherTab.signedInAt('u1')).toBe(500);
    expect(otherTab.signedInAt('u2')).toBeNull();
    otherTab.clear();
    expect(marks.lastActivity()).toBeNull();
    expect(marks.signedInAt('u1')).toBeNull();
  });

  it.each([['not json'], ['"soon"'], ['null'], ['{"uid":"u1","at":"yesterday"}'], ['[1]']])(
    'reads %s as no mark',
    (raw) => {
      const storage = memoryStorage();
      storage.setItem('telesalud.session.activity', raw);
      storage.setItem('telesalud.session.signedIn', raw);
      const marks = createSessionMarks(storage);
      expect(marks.lastActivity()).toBeNull();
      expect(marks.signedInAt('u1')).toBeNull();
    },
  );
});
