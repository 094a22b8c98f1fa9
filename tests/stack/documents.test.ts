/**
 * Patient files on the local stack: Storage uploads from the web SDK get a download token (a permanent link that
 * needs no sign-in), as on Firebase; the finalize trigger must remove it from every patient file (clinic documents,
 * consent signatures, chat attachments), a token the client chose included, and registerDocument removes any token
 * left before it records the file. The only read path is openDocument: an HTTPS GET with the Firebase ID token, which
 * serves the exact bytes to the clinic team and to the portal patient (visible documents only), refuses everyone else
 * without telling a missing document from a foreign one, and leaves one `document.read` audit entry per read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getStorage as getAdminStorage } from 'firebase-admin/storage';
import type { Bucket } from '@google-cloud/storage';
import { PROJECT_ID } from '../../scripts/stack';
import { codeOf, type SignedInClient } from './support/clients';
import { useStack } from './support/use-stack';

const ports = { firestore: 17080, storage: 17199, auth: 17099, functions: 17001, hub: 17400, logging: 17500 };
const suite = useStack({ name: 'documents', ports });
const BUCKET = `${PROJECT_ID}.appspot.com`;
const ANDINA = 'clinica-andina';
const ANA = 'pac-ana-torres';
const folder = `clinics/${ANDINA}/patients/${ANA}/documents`;
const PDF = new TextEncoder().encode('%PDF-1.7 hemograma: hemoglobina 13.9 g/dL');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);

let bucket: Bucket;
let staff: SignedInClient;
let ana: SignedInClient;

beforeAll(async () => {
  bucket = getAdminStorage(suite.adminApp).bucket(BUCKET);
  [staff, ana] = await Promise.all([suite.people.signIn('recepcion.andina@demo.telesalud.test'), suite.people.signIn('paciente@demo.telesalud.test')]);
}, 60_000);

/** The status of an anonymous token download, as anyone holding the link would make it. */
async function tokenGet(objectPath: string, token: string): Promise<number> {
  const r = await fetch(`${suite.stack.urls.storage}/v0/b/${BUCKET}/o/${encodeURIComponent(objectPath)}?alt=media&token=${encodeURIComponent(token)}`);
  await r.arrayBuffer();
  return r.status;
}

/**
 * Uploads as the web SDK does (a multipart POST to the Firebase API with the ID token) and returns the download token
 * the answer carries; the SDK itself keeps that token to itself.
 */
async function upload(client: SignedInClient, objectPath: string, bytes: Uint8Array, contentType: string, customMetadata?: Record<string, string>): Promise<string> {
  const boundary = 'p2-boundary';
  const meta = JSON.stringify({ name: objectPath, contentType, ...(customMetadata ? { metadata: customMetadata } : {}) });
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${meta}\r\n--${boundary}\r\nContent-Type: ${contentType}\r\n\r\n`),
    Buffer.from(bytes),
    Buffer.from(`\r\n--${boundary}--`),
  ]);
  const r = await fetch(`${suite.stack.urls.storage}/v0/b/${BUCKET}/o?name=${encodeURIComponent(objectPath)}`, {
    method: 'POST',
    headers: {
      Authorization: `Firebase ${await client.user.getIdToken()}`,
      'X-Goog-Upload-Protocol': 'multipart',
      'Content-Type': `multipart/related; boundary=${boundary}`,
    },
    body,
  });
  const answer = (await r.json()) as { downloadTokens?: string };
  const token = answer.downloadTokens?.split(',')[0];
  if (r.status !== 200 || !token) throw new Error(`the upload of ${objectPath} answered ${r.status} ${JSON.stringify(answer)}`);
  return token;
}

/** GET openDocument as a signed-in person (or anonymously). */
async function open(who: SignedInClient | null, query: Record<string, string>): Promise<Response> {
  const headers: Record<string, string> = who ? { Authorization: `Bearer ${await who.user.getIdToken()}` } : {};
  return fetch(`${suite.stack.urls.functions}/${PROJECT_ID}/us-central1/openDocument?${new URLSearchParams(query).toString()}`, { headers });
}

/** document.read entries of one document. */
async function readsOf(documentId: string): Promise<{ who: unknown; outcome: unknown; reason?: unknown }[]> {
  const target = `${folder}/${documentId}`;
  const snap = await suite.adminDb.collection('auditLog').where('target', '==', target).where('action', '==', 'document.read').get();
  return snap.docs.map((d) => ({ who: d.get('who'), outcome: d.get('outcome'), ...(d.get('reason') !== undefined ? { reason: d.get('reason') } : {}) }));
}

const register = (client: SignedInClient, documentId: string, fileName: string, visibleToPatient = true) =>
  client.call('registerDocument', {
    clinicId: ANDINA,
    patientUid: ANA,
    documentId,
    fileName,
    type: 'lab_result',
    title: 'Hemograma',
    visibleToPatient,
    notifyPatient: visibleToPatient,
  });

describe('no patient file keeps a download token', () => {
  it("a staff upload's token stops working once the file is finalized, and a token the client chose never works", async () => {
    const given = await upload(staff, `${folder}/d-token/hemograma.pdf`, PDF, 'application/pdf');
    await expect.poll(() => tokenGet(`${folder}/d-token/hemograma.pdf`, given), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(403);
    expect(await tokenGet(`${folder}/d-token/hemograma.pdf`, given)).toBeLessThan(500);

    // firebaseStorageDownloadTokens as custom metadata chooses the token; it is stripped like any other.
    const chosen = await upload(staff, `${folder}/d-chosen/rx.pdf`, PDF, 'application/pdf', { firebaseStorageDownloadTokens: 'chosen-by-staff' });
    expect(chosen).toBe('chosen-by-staff');
    await expect.poll(() => tokenGet(`${folder}/d-chosen/rx.pdf`, 'chosen-by-staff'), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(403);
    const [meta] = await bucket.file(`${folder}/d-chosen/rx.pdf`).getMetadata();
    expect(meta.metadata?.firebaseStorageDownloadTokens ?? null).toBeNull();
  });

  it('consent signatures and chat attachments lose their tokens too', async () => {
    await suite.adminDb.doc(`clinics/${ANDINA}/patients/${ANA}/consents/c-token`).set({ status: 'pending' });
    await suite.adminDb.doc('conversations/conv-token').set({ participants: [ANA, 'esp-valentina-rojas'] });
    const signature = `clinics/${ANDINA}/patients/${ANA}/consents/c-token/firma.png`;
    const attachment = `conversations/conv-token/attachments/${ANA}/foto.png`;
    const [t1, t2] = await Promise.all([upload(ana, signature, PNG, 'image/png'), upload(ana, attachment, PNG, 'image/png')]);
    await expect.poll(() => tokenGet(signature, t1), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(403);
    await expect.poll(() => tokenGet(attachment, t2), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(403);
  });

  it('leaves the public specialist photos their token (those are meant to be public)', async () => {
    const valentina = await suite.people.signIn('especialista@demo.telesalud.test');
    const token = await upload(valentina, 'public/specialists/esp-valentina-rojas/documentos.png', PNG, 'image/png');
    await suite.stack.whenTriggersIdle();
    expect(await tokenGet('public/specialists/esp-valentina-rojas/documentos.png', token)).toBe(200);
  });
});

describe('registerDocument', () => {
  it('records size and type read from Storage, removes a token still on the file in the same step, and audits', async () => {
    const objectPath = `${folder}/d-reg/hemograma.pdf`;
    await upload(staff, objectPath, PDF, 'application/pdf');
    await suite.stack.whenTriggersIdle();
    // A token put back after finalize (an admin tool, or a finalize that has not run yet): registration removes it.
    await bucket.file(objectPath).setMetadata({ metadata: { firebaseStorageDownloadTokens: 'late-token' } });
    expect(await tokenGet(objectPath, 'late-token')).toBe(200);

    expect(await register(staff, 'd-reg', 'hemograma.pdf')).toEqual({ documentId: 'd-reg', notified: true });
    expect(await tokenGet(objectPath, 'late-token')).toBeGreaterThanOrEqual(403);
    const stored = (await suite.adminDb.doc(`${folder}/d-reg`).get()).data();
    expect(stored).toMatchObject({ storagePath: objectPath, size: PDF.length, contentType: 'application/pdf', uploadedBy: 'staff-andina', visibleToPatient: true });
    const audit = await suite.adminDb.collection('auditLog').where('target', '==', `${folder}/d-reg`).get();
    expect(audit.docs.map((d) => [d.get('action'), d.get('who'), d.get('outcome')])).toEqual([['document.upload', 'staff-andina', 'allowed']]);
    const inbox = await suite.adminDb.collection(`users/${ANA}/notifications`).where('kind', '==', 'document_shared').get();
    expect(inbox.size).toBe(1);
    expect(JSON.stringify(inbox.docs[0]?.data())).not.toContain('hemograma');
  });

  it('refuses a missing file, a second registration, a patient and staff of another clinic', async () => {
    expect(await codeOf(register(staff, 'd-none', 'nada.pdf'))).toBe('failed-precondition');
    expect(await codeOf(register(staff, 'd-reg', 'hemograma.pdf'))).toBe('already-exists');
    expect(await codeOf(register(ana, 'd-reg2', 'hemograma.pdf'))).toBe('permission-denied');
    const iberia = await suite.people.signIn('recepcion.iberia@demo.telesalud.test');
    expect(await codeOf(register(iberia, 'd-reg2', 'hemograma.pdf'))).toBe('permission-denied');
  });
});

describe('openDocument, the only read path', () => {
  beforeAll(async () => {
    await upload(staff, `${folder}/d-hidden/informe.pdf`, PDF, 'application/pdf');
    await suite.stack.whenTriggersIdle();
    await register(staff, 'd-hidden', 'informe.pdf', false);
  });

  it('serves the exact bytes to the clinic team as an uncached attachment, with one audit entry per read', async () => {
    const before = (await readsOf('d-reg')).length;
    const r = await open(staff, { clinicId: ANDINA, patientUid: ANA, documentId: 'd-reg' });
    expect(r.status).toBe(200);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(PDF);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment;.*hemograma\.pdf/);
    expect(r.headers.get('cache-control')).toContain('no-store');
    const reads = await readsOf('d-reg');
    expect(reads).toHaveLength(before + 1);
    expect(reads).toContainEqual({ who: 'staff-andina', outcome: 'allowed' });
  });

  it('serves the portal patient a visible document and refuses her a hidden one', async () => {
    const r = await open(ana, { clinicId: ANDINA, patientUid: ANA, documentId: 'd-reg' });
    expect(r.status).toBe(200);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(PDF);
    const hidden = await open(ana, { clinicId: ANDINA, patientUid: ANA, documentId: 'd-hidden' });
    expect(hidden.status).toBe(403);
    expect(await readsOf('d-hidden')).toContainEqual({ who: ANA, outcome: 'denied', reason: 'not-visible-to-patient' });
  });

  it('refuses the signed-out, other patients, other clinics, bad queries; a missing document looks like a foreign one', async () => {
    const q = { clinicId: ANDINA, patientUid: ANA, documentId: 'd-reg' };
    const luis = await suite.people.signIn('luis.mendoza@demo.telesalud.test');
    const iberia = await suite.people.signIn('recepcion.iberia@demo.telesalud.test');
    const statuses = async (who: SignedInClient | null, query: Record<string, string>) => {
      const r = await open(who, query);
      const body = (await r.json()) as { error?: { status?: string } };
      return [r.status, body.error?.status];
    };
    expect(await statuses(null, q)).toEqual([401, 'UNAUTHENTICATED']);
    expect(await statuses(luis, q)).toEqual([403, 'PERMISSION_DENIED']);
    expect(await statuses(iberia, q)).toEqual([403, 'PERMISSION_DENIED']);
    expect(await statuses(luis, { ...q, documentId: 'no-such-doc' })).toEqual([403, 'PERMISSION_DENIED']);
    expect(await statuses(staff, { ...q, documentId: 'no-such-doc' })).toEqual([404, 'NOT_FOUND']);
    expect(await statuses(staff, { ...q, documentId: '../d-reg' })).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await statuses(staff, { clinicId: ANDINA, patientUid: ANA })).toEqual([400, 'INVALID_ARGUMENT']);
    const forged = await fetch(`${suite.stack.urls.functions}/${PROJECT_ID}/us-central1/openDocument?${new URLSearchParams(q).toString()}`, {
      headers: { Authorization: 'Bearer not-a-token' },
    });
    expect(forged.status).toBe(401);
    // Nobody reads a clinic file straight from Storage, not even the team.
    const direct = await fetch(`${suite.stack.urls.storage}/v0/b/${BUCKET}/o/${encodeURIComponent(`${folder}/d-reg/hemograma.pdf`)}?alt=media`, {
      headers: { Authorization: `Firebase ${await staff.user.getIdToken()}` },
    });
    expect(direct.status).toBe(403);
  });
});
