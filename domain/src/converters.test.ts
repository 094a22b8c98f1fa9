import { describe, expect, it } from 'vitest';
import { InvalidDocumentError, parseDocument, schemaConverter } from './converters';
import { clinicMemberSchema } from './model/clinic';

const snap = (data: unknown, path = 'clinics/andina/members/u1') => ({ data: () => data, ref: { path } });

describe('schemaConverter', () => {
  const member = { role: 'staff', displayName: 'Recepción' };

  it('reads a document that matches its schema', () => {
    expect(schemaConverter(clinicMemberSchema).fromFirestore(snap(member))).toEqual(member);
  });

  it.each([
    ['an extra key', { ...member, roles: ['admin'] }, 'roles'],
    ['a wrong role', { ...member, role: 'owner' }, 'role'],
    ['a missing name', { role: 'staff' }, 'displayName'],
  ])('refuses %s, naming the document and the field', (_why, data, field) => {
    const read = () => parseDocument(clinicMemberSchema, snap(data));
    expect(read).toThrow(InvalidDocumentError);
    expect(read).toThrow(/clinics\/andina\/members\/u1/);
    try {
      read();
    } catch (e) {
      expect(e instanceof InvalidDocumentError && e.fields.join(',')).toContain(field);
    }
  });

  it('writes the model as a plain copy', () => {
    const out = schemaConverter(clinicMemberSchema).toFirestore(member as never);
    expect(out).toEqual(member);
    expect(out).not.toBe(member);
  });
});
