/**
 * Triggers on the local stack, through the real Functions emulator.
 * Storage: a signed-in specialist uploads a photo with the web SDK, storage.rules judge it (with a
 * firestore.exists() lookup), the real Functions emulator runs storageOnObjectFinalized and the public profile gets a
 * download URL that serves the same bytes; deleting the photo unlinks it. A patient's upload is refused.
 * Audit: a clinical note written by the appointment's specialist (straight to Firestore, under the rules) gets a
 * `note.write` audit entry naming the note, never its text.
 * Search: the public listings follow the profile and its offices: an admin's approval lists a pending specialist
 * (found by an anonymous geohash range query, as the search page runs it), suspension unlists, an office edit and
 * a new photo reach the listing.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collection,
  doc,
  endAt,
  getDocs,
  orderBy,
  query,
  serverTimestamp,
  setDoc,
  startAt,
} from 'firebase/firestore';
import { geohashQueryBounds } from 'geofire-common';
import { deleteObject, ref, uploadBytes } from 'firebase/storage';
import { startStack, PROJECT_ID, type Stack } from '../../scripts/stack';
import { stackClients } from './support/clients';
import { backfillSearchListings } from '../../scripts/backfill-search-listings';

const ports = { firestore: 11080, storage: 11199, auth: 11099, functions: 11001, hub: 11400, logging: 11500 };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let stack: Stack;
let people: ReturnType<typeof stackClients>;

/** The searchListings of one specialist as the admin sees them: id → fields. */
async function listingsOf(uid: string): Promise<Record<string, Record<string, { stringValue?: string; mapValue?: unknown }>>> {
  const r = await fetch(`${documents()}:runQuery`, {
    method: 'POST',
    headers: owner,
    body: JSON.stringify({
      structuredQuery: {
        from: [{ collectionId: 'searchListings' }],
        where: { fieldFilter: { field: { fieldPath: 'specialistUid' }, op: 'EQUAL', value: { stringValue: uid } } },
      },
    }),
  });
  const rows = (await r.json()) as { document?: { name: string; fields: Record<string, { stringValue?: string }> } }[];
  return Object.fromEntries(rows.flatMap((x) => (x.document ? [[x.document.name.split('/').pop() ?? '', x.document.fields]] : [])));
}

const documents = () => `${stack.urls.firestore}/v1/projects/${PROJECT_ID}/databases/(default)/documents`;
const owner = { Authorization: 'Bearer owner', 'Content-Type': 'application/json' };

/** The specialist's public profile as the admin sees it (REST with the emulator's owner token). */
async function photoUrlOf(uid: string): Promise<string | undefined> {
  const r = await fetch(`${documents()}/specialists/${uid}`, { headers: owner });
  const body = (await r.json()) as { fields?: { photoUrl?: { stringValue?: string } } };
  return body.fields?.photoUrl?.stringValue;
}

interface AuditDoc {
  fields: Record<string, { stringValue?: string; nullValue?: null; timestampValue?: string }>;
}

/** Every audit entry, as the admin reads them. */
async function auditEntries(): Promise<AuditDoc[]> {
  const r = await fetch(`${documents()}/auditLog?pageSize=300`, { headers: owner });
  return ((await r.json()) as { documents?: AuditDoc[] }).documents ?? [];
}

beforeAll(async () => {
  stack = await startStack({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'stack-storage-')), seed: true, quiet: true, ports });
  people = stackClients(stack, 'triggers');
}, 180_000);

afterAll(async () => {
  await people?.close();
  await stack?.stop();
});

describe('specialist photo through storage.rules and the Functions emulator', () => {
  it('links an uploaded photo to the public profile, serves its bytes, and unlinks it on delete', async () => {
    const { storage } = await people.signIn('especialista@demo.telesalud.test');
    const photo = ref(storage, 'public/specialists/esp-valentina-rojas/perfil.png');
    await uploadBytes(photo, PNG, { contentType: 'image/png' });

    await expect.poll(() => photoUrlOf('esp-valentina-rojas'), { timeout: 30_000, interval: 250 }).toMatch(/perfil\.png\?alt=media&token=/);
    const url = await photoUrlOf('esp-valentina-rojas');
    if (!url) throw new Error('no photoUrl');
    // The token URL reads without any sign-in, as on Firebase.
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);

    // The profile's new photo reaches its search listings through the search trigger.
    await expect
      .poll(async () => Object.values(await listingsOf('esp-valentina-rojas')).map((l) => l.photoUrl?.stringValue), { timeout: 30_000, interval: 250 })
      .toEqual([url, url]);

    await deleteObject(photo);
    await expect.poll(() => photoUrlOf('esp-valentina-rojas'), { timeout: 30_000, interval: 250 }).toBeUndefined();
    await expect
      .poll(async () => Object.values(await listingsOf('esp-valentina-rojas')).map((l) => 'photoUrl' in l), { timeout: 30_000, interval: 250 })
      .toEqual([false, false]);
  });

  it('refuses a patient who has no specialist profile', async () => {
    const { storage } = await people.signIn('paciente@demo.telesalud.test');
    await expect(uploadBytes(ref(storage, 'public/specialists/x/perfil.png'), PNG, { contentType: 'image/png' })).rejects.toMatchObject({
      code: 'storage/unauthorized',
    });
  });
});

describe('audit of clinical notes', () => {
  it('writes note.write for a note the specialist creates, naming the note and not its text', async () => {
    // An appointment of the seeded specialist, written as the server would (admin REST).
    const created = await fetch(`${documents()}/appointments?documentId=appt-audit`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({ fields: { patientUid: { stringValue: 'pac-ana-torres' }, specialistUid: { stringValue: 'esp-valentina-rojas' } } }),
    });
    expect(created.status).toBe(200);
    const { db } = await people.signIn('especialista@demo.telesalud.test');
    const text = 'Paciente refiere mejoría; continuar tratamiento tópico.';
    await setDoc(doc(db, 'appointments/appt-audit/notes/n1'), { authorUid: 'esp-valentina-rojas', text, createdAt: serverTimestamp(), updatedAt: serverTimestamp() });

    const target = 'appointments/appt-audit/notes/n1';
    await expect
      .poll(async () => (await auditEntries()).filter((e) => e.fields.target?.stringValue === target).length, { timeout: 30_000, interval: 250 })
      .toBe(1);
    const entry = (await auditEntries()).find((e) => e.fields.target?.stringValue === target);
    expect(entry?.fields.action?.stringValue).toBe('note.write');
    expect(entry?.fields.who?.stringValue).toBe('esp-valentina-rojas');
    expect(entry?.fields.role?.stringValue).toBe('specialist');
    expect(entry?.fields.outcome?.stringValue).toBe('allowed');
    expect(entry?.fields.at?.timestampValue).toMatch(/^\d{4}-/);
    expect(JSON.stringify(entry)).not.toContain('mejoría');
  });
});

describe('search listings follow the profile and its offices', () => {
  it('approval lists a pending specialist where an anonymous map query finds her; an office edit reaches the listing; suspension unlists', async () => {
    const uid = 'esp-pau-ferrer';
    expect(await listingsOf(uid)).toEqual({});
    const admin = await people.signIn('admin@demo.telesalud.test');
    const review = (data: unknown) => admin.call('approveSpecialist', data);

    await review({ specialistUid: uid, status: 'approved' });
    await expect.poll(async () => Object.keys(await listingsOf(uid)).sort(), { timeout: 30_000, interval: 250 }).toEqual([`${uid}.principal`, `${uid}.video`]);

    // What the search page runs, signed out: geohash ranges around Passeig de Gràcia, 2 km.
    const { db } = people.anonymous();
    const found = new Set<string>();
    for (const [from, to] of geohashQueryBounds([41.3947, 2.1616], 2_000)) {
      const snap = await getDocs(query(collection(db, 'searchListings'), orderBy('geohash'), startAt(from), endAt(to)));
      for (const d of snap.docs) found.add(String(d.get('specialistUid')));
    }
    expect(found.has(uid)).toBe(true);
    expect(found.has('esp-valentina-rojas')).toBe(false);

    // An office edit (as the onboarding callable would write it) reaches the listing.
    const office = `${documents()}/specialists/${uid}/offices/principal?updateMask.fieldPaths=city`;
    const edited = await fetch(office, { method: 'PATCH', headers: owner, body: JSON.stringify({ fields: { city: { stringValue: 'Sant Cugat' } } }) });
    expect(edited.status).toBe(200);
    const terms = async () => {
      const l = (await listingsOf(uid))[`${uid}.principal`] as { searchTerms?: { arrayValue?: { values?: { stringValue?: string }[] } } } | undefined;
      return (l?.searchTerms?.arrayValue?.values ?? []).map((v) => v.stringValue);
    };
    await expect.poll(terms, { timeout: 30_000, interval: 250 }).toContain('cugat');
    expect(await terms()).not.toContain('barcelona');

    await review({ specialistUid: uid, status: 'suspended', note: 'Documentación vencida' });
    await expect.poll(async () => await listingsOf(uid), { timeout: 30_000, interval: 250 }).toEqual({});
  });

  it('the backfill restores listings missing from older data and leaves current ones alone', async () => {
    const uid = 'esp-andres-gomez';
    const before = await listingsOf(uid);
    expect(Object.keys(before).length).toBeGreaterThan(0);
    for (const id of Object.keys(before)) {
      const r = await fetch(`${documents()}/searchListings/${id}`, { method: 'DELETE', headers: owner });
      expect(r.status).toBe(200);
    }
    expect(await listingsOf(uid)).toEqual({});
    Object.assign(process.env, stack.env);
    const total = await backfillSearchListings(PROJECT_ID);
    expect(total).toMatchObject({ written: Object.keys(before).length, deleted: 0 });
    expect(total.specialists).toBe(14);
    expect(await listingsOf(uid)).toEqual(before);
    expect((await backfillSearchListings(PROJECT_ID)).written).toBe(0);
  });
});
