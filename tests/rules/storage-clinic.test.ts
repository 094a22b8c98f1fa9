/**
 * storage: clinic files, consent signatures and chat attachments. Who may write is decided by grant documents in
 * Firestore (membership, portal grant, the conversation), read by storage.rules with firestore.get()/exists().
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import { doc, setDoc, updateDoc } from 'firebase/firestore';
import { deleteObject, getBytes, ref, uploadBytes } from 'firebase/storage';
import { startRulesEnv, type RulesEnv } from './support/env';

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv('demo-rules-storage-clinic');
});
afterAll(async () => env?.close());

const PDF = new TextEncoder().encode('%PDF-1.7 resultado');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const files = 'clinics/andina/patients/p-ana/documents';
const consentFolder = 'clinics/andina/patients/p-ana/consents/c1';
const chat = 'conversations/conv1/attachments';

const staff = () => env.storageAs('staff-andina', { roles: ['staff'], clinicIds: ['andina'] });
const otherStaff = () => env.storageAs('staff-iberia', { roles: ['staff'], clinicIds: ['iberia'] });
const specialist = () => env.storageAs('esp-lopez', { roles: ['specialist'], clinicIds: ['andina'] });
const ana = () => env.storageAs('p-ana', { roles: ['patient'] });
const beto = () => env.storageAs('p-beto', { roles: ['patient'] });

beforeEach(async () => {
  await env.testEnv.clearFirestore();
  await env.testEnv.clearStorage();
  await env.admin(async (db, storage) => {
    const grant = { active: true, grantedAt: new Date(), grantedBy: 'system' };
    await setDoc(doc(db, 'clinics/andina/members/staff-andina'), { role: 'staff', displayName: 'Recepción', ...grant });
    await setDoc(doc(db, 'clinics/andina/members/esp-lopez'), { role: 'specialist', displayName: 'Dra. López', ...grant });
    await setDoc(doc(db, 'clinics/iberia/members/staff-iberia'), { role: 'staff', displayName: 'Recepción Iberia', ...grant });
    await setDoc(doc(db, 'clinics/andina/portalGrants/p-ana'), grant);
    await setDoc(doc(db, 'clinics/andina/portalGrants/p-beto'), grant);
    await setDoc(doc(db, consentFolder), { status: 'pending' });
    await setDoc(doc(db, 'clinics/andina/patients/p-ana/documents/registered'), { storagePath: `${files}/registered/lab.pdf` });
    await setDoc(doc(db, 'conversations/conv1'), { participants: ['p-ana', 'esp-lopez'] });
    await uploadBytes(ref(storage, `${files}/registered/lab.pdf`), PDF, { contentType: 'application/pdf' });
    await uploadBytes(ref(storage, `${chat}/esp-lopez/receta.pdf`), PDF, { contentType: 'application/pdf' });
  });
});

describe('clinic files (documents/{documentId}/{fileName})', () => {
  it('staff and the clinic\'s specialists upload an allowed type under 25 MiB before registration', async () => {
    await assertSucceeds(uploadBytes(ref(staff(), `${files}/d1/lab.pdf`), PDF, { contentType: 'application/pdf' }));
    await assertSucceeds(uploadBytes(ref(specialist(), `${files}/d2/rx.png`), PNG, { contentType: 'image/png' }));
    await assertSucceeds(deleteObject(ref(staff(), `${files}/d1/lab.pdf`)));
  });

  it('refuses other types, empty or over-large files, and replacing or deleting a registered file', async () => {
    await assertFails(uploadBytes(ref(staff(), `${files}/d1/page.html`), PDF, { contentType: 'text/html' }));
    await assertFails(uploadBytes(ref(staff(), `${files}/d1/empty.pdf`), new Uint8Array(0), { contentType: 'application/pdf' }));
    await assertFails(uploadBytes(ref(staff(), `${files}/d1/big.pdf`), new Uint8Array(25 * 1024 * 1024 + 1), { contentType: 'application/pdf' }));
    await assertFails(uploadBytes(ref(staff(), `${files}/registered/lab.pdf`), PDF, { contentType: 'application/pdf' }));
    await assertFails(deleteObject(ref(staff(), `${files}/registered/lab.pdf`)));
  });

  it('refuses staff of another clinic, patients, and a member whose grant was revoked (same token)', async () => {
    await assertFails(uploadBytes(ref(otherStaff(), `${files}/d1/lab.pdf`), PDF, { contentType: 'application/pdf' }));
    await assertFails(uploadBytes(ref(ana(), `${files}/d1/lab.pdf`), PDF, { contentType: 'application/pdf' }));
    const s = staff();
    await assertSucceeds(uploadBytes(ref(s, `${files}/d3/lab.pdf`), PDF, { contentType: 'application/pdf' }));
    await env.admin(async (db) => {
      await updateDoc(doc(db, 'clinics/andina/members/staff-andina'), { active: false, revokedAt: new Date() });
    });
    await assertFails(uploadBytes(ref(s, `${files}/d4/lab.pdf`), PDF, { contentType: 'application/pdf' }));
  });

  it('is read by nobody straight from Storage (openDocument audits every read)', async () => {
    for (const who of [staff(), specialist(), ana(), env.anonStorage()]) await assertFails(getBytes(ref(who, `${files}/registered/lab.pdf`)));
  });
});

describe('consent signatures', () => {
  it('the patient with an active portal grant uploads a small image while the consent is pending', async () => {
    await assertSucceeds(uploadBytes(ref(ana(), `${consentFolder}/firma.png`), PNG, { contentType: 'image/png' }));
    await assertSucceeds(getBytes(ref(ana(), `${consentFolder}/firma.png`)));
    await assertSucceeds(getBytes(ref(staff(), `${consentFolder}/firma.png`)));
  });

  it('refuses another patient, staff of another clinic, non-images, a signed consent and a revoked grant', async () => {
    await assertFails(uploadBytes(ref(beto(), `${consentFolder}/firma.png`), PNG, { contentType: 'image/png' }));
    await assertFails(uploadBytes(ref(ana(), `${consentFolder}/firma.pdf`), PDF, { contentType: 'application/pdf' }));
    await env.admin(async (db, storage) => {
      await uploadBytes(ref(storage, `${consentFolder}/old.png`), PNG, { contentType: 'image/png' });
      await updateDoc(doc(db, consentFolder), { status: 'signed' });
    });
    await assertFails(uploadBytes(ref(ana(), `${consentFolder}/firma.png`), PNG, { contentType: 'image/png' }));
    await assertFails(getBytes(ref(otherStaff(), `${consentFolder}/old.png`)));
    await env.admin(async (db) => {
      await updateDoc(doc(db, 'clinics/andina/portalGrants/p-ana'), { active: false, revokedAt: new Date() });
    });
    await assertFails(getBytes(ref(ana(), `${consentFolder}/old.png`)));
  });
});

describe('chat attachments', () => {
  it('a participant uploads into their own folder and both participants read', async () => {
    await assertSucceeds(uploadBytes(ref(ana(), `${chat}/p-ana/foto.jpg`), PNG, { contentType: 'image/jpeg' }));
    await assertSucceeds(getBytes(ref(ana(), `${chat}/esp-lopez/receta.pdf`)));
    await assertSucceeds(getBytes(ref(specialist(), `${chat}/p-ana/foto.jpg`)));
  });

  it('refuses another folder, outsiders, other types and deletion', async () => {
    await assertFails(uploadBytes(ref(ana(), `${chat}/esp-lopez/x.jpg`), PNG, { contentType: 'image/jpeg' }));
    await assertFails(uploadBytes(ref(beto(), `${chat}/p-beto/x.jpg`), PNG, { contentType: 'image/jpeg' }));
    await assertFails(getBytes(ref(beto(), `${chat}/esp-lopez/receta.pdf`)));
    await assertFails(uploadBytes(ref(ana(), `${chat}/p-ana/x.svg`), PNG, { contentType: 'image/svg+xml' }));
    await assertFails(deleteObject(ref(specialist(), `${chat}/esp-lopez/receta.pdf`)));
  });
});
