/**
 * The firebase.storage service: object paths under /b/{bucket}/o, request.resource (the upload) and resource (the
 * stored object) with size, contentType, name and custom metadata, and firestore.get()/exists() reading Firestore.
 */
import { storageRules, user, type Row, type StorageObject } from './harness';

const alice = user('alice');
const bob = user('bob');
const MB = 1024 * 1024;
const png = (size: number, metadata?: Record<string, string>): StorageObject => ({
  size,
  contentType: 'image/png',
  ...(metadata ? { metadata } : {}),
});

const IMAGES = `    match /images/{imageId} {
      allow write: if request.resource.size < 5 * 1024 * 1024
                   && request.resource.contentType.matches('image/.*');
      allow read: if resource.size < 100 * 1024;
    }`;

function row(
  name: string,
  rules: string,
  req: Extract<Row['req'], { storage: string }>,
  expect: Row['expect'],
  extra: Partial<Row> = {},
): Row {
  return { name, rules: storageRules(rules), req, auth: alice, expect, ...extra };
}

// https://firebase.google.com/docs/storage/security/rules-conditions#data_validation and
// https://firebase.google.com/docs/reference/security/storage#request and #resource — request.resource is the
// object being written (size in bytes, contentType, name, custom metadata), resource the stored object.
const objects: Row[] = [
  row('upload: small image allowed', IMAGES, { storage: 'images/a.png', method: 'create', incoming: png(MB) }, 'allow'),
  row(
    'upload: image of 5 MB or more denied',
    IMAGES,
    { storage: 'images/a.png', method: 'create', incoming: png(6 * MB) },
    'deny',
  ),
  row(
    'upload: non-image denied',
    IMAGES,
    { storage: 'images/a.png', method: 'create', incoming: { size: 10, contentType: 'text/plain' } },
    'deny',
  ),
  row(
    'overwrite: the same rule applies to update',
    IMAGES,
    { storage: 'images/a.png', method: 'update', resource: png(10), incoming: png(MB) },
    'allow',
  ),
  row(
    'download: small stored object allowed',
    IMAGES,
    { storage: 'images/a.png', method: 'get', resource: png(10 * 1024) },
    'allow',
  ),
  row(
    'download: large stored object denied',
    IMAGES,
    { storage: 'images/a.png', method: 'get', resource: png(MB) },
    'deny',
  ),
  row(
    'rules do not cascade into sub-folders',
    IMAGES,
    { storage: 'images/2024/a.png', method: 'create', incoming: png(10) },
    'deny',
  ),
  row(
    'delete: request.resource is null, so reading its size is an error',
    '    match /images/{imageId} {\n      allow delete: if request.resource.size < 100;\n    }',
    { storage: 'images/a.png', method: 'delete', resource: png(10) },
    'deny',
  ),
  row(
    'delete: resource is the object being deleted',
    "    match /images/{imageId} {\n      allow delete: if resource.contentType == 'image/png';\n    }",
    { storage: 'images/a.png', method: 'delete', resource: png(10) },
    'allow',
  ),
  row(
    'resource.name is the full object name',
    "    match /images/{imageId} {\n      allow read: if resource.name == 'images/' + imageId && imageId == 'a.png';\n    }",
    { storage: 'images/a.png', method: 'get', resource: png(10) },
    'allow',
  ),
  row(
    'the {bucket} wildcard binds the bucket name',
    "    match /images/{imageId} {\n      allow read: if bucket == 'demo.appspot.com' && resource.bucket == bucket;\n    }",
    { storage: 'images/a.png', method: 'get', resource: png(10) },
    'allow',
  ),
  row(
    'custom metadata owner is the caller',
    '    match /files/{fileId} {\n      allow create: if request.resource.metadata.owner == request.auth.uid;\n    }',
    { storage: 'files/f1', method: 'create', incoming: png(10, { owner: 'alice' }) },
    'allow',
  ),
  row(
    'custom metadata owner is someone else',
    '    match /files/{fileId} {\n      allow create: if request.resource.metadata.owner == request.auth.uid;\n    }',
    { storage: 'files/f1', method: 'create', incoming: png(10, { owner: 'bob' }) },
    'deny',
  ),
  row(
    'missing custom metadata key is an error that denies',
    '    match /files/{fileId} {\n      allow create: if request.resource.metadata.owner == request.auth.uid;\n    }',
    { storage: 'files/f1', method: 'create', incoming: png(10) },
    'deny',
  ),
  row(
    'missing custom metadata key forgiven by || true',
    '    match /files/{fileId} {\n      allow create: if request.resource.metadata.owner == request.auth.uid || true;\n    }',
    { storage: 'files/f1', method: 'create', incoming: png(10) },
    'allow',
  ),
  row(
    'update may not change the content type',
    '    match /files/{fileId} {\n      allow update: if request.resource.contentType == resource.contentType;\n    }',
    { storage: 'files/f1', method: 'update', resource: png(10), incoming: { size: 10, contentType: 'text/plain' } },
    'deny',
  ),
  row(
    'stored metadata read on download',
    "    match /files/{fileId} {\n      allow read: if resource.metadata.visibility == 'public';\n    }",
    { storage: 'files/f1', method: 'get', resource: png(10, { visibility: 'public' }) },
    'allow',
  ),
  row(
    'request.time in storage rules',
    '    match /files/{fileId} {\n      allow read: if request.time > timestamp.date(2020, 1, 1);\n    }',
    { storage: 'files/f1', method: 'get', resource: png(10) },
    'allow',
  ),
];

const OWNER =
  '    match /users/{userId}/{allPaths=**} {\n      allow read, write: if request.auth != null && request.auth.uid == userId;\n    }';

// https://firebase.google.com/docs/storage/security/rules-conditions#authentication and
// https://firebase.google.com/docs/storage/security/core-syntax — user folders with a recursive wildcard;
// read = get + list, write = create + update + delete.
const ownership: Row[] = [
  row(
    'owner writes in their folder',
    OWNER,
    { storage: 'users/alice/photos/a.png', method: 'create', incoming: png(10) },
    'allow',
  ),
  row(
    'owner reads deep in their folder',
    OWNER,
    { storage: 'users/alice/a/b/c.png', method: 'get', resource: png(10) },
    'allow',
  ),
  row(
    'another user cannot read the folder',
    OWNER,
    { storage: 'users/alice/photos/a.png', method: 'get', resource: png(10) },
    'deny',
    { auth: bob },
  ),
  row(
    'anonymous cannot read the folder',
    OWNER,
    { storage: 'users/alice/photos/a.png', method: 'get', resource: png(10) },
    'deny',
    { auth: null },
  ),
  row(
    'owner deletes in their folder',
    OWNER,
    { storage: 'users/alice/photos/a.png', method: 'delete', resource: png(10) },
    'allow',
  ),
  row(
    'allow create does not grant update',
    '    match /uploads/{name} {\n      allow create: if true;\n    }',
    { storage: 'uploads/a.png', method: 'update', resource: png(10), incoming: png(10) },
    'deny',
  ),
  row(
    'allow create grants create',
    '    match /uploads/{name} {\n      allow create: if true;\n    }',
    { storage: 'uploads/a.png', method: 'create', incoming: png(10) },
    'allow',
  ),
];

const FIRESTORE_STORE = {
  'users/alice': { role: 'doctor' },
  'users/bob': { role: 'patient' },
  'grants/g1': { uid: 'alice' },
};

// https://firebase.google.com/docs/storage/security/rules-conditions#enhance_with_firestore — firestore.get() and
// firestore.exists() read Firestore documents from Storage rules, with full /databases/(default)/documents paths.
const crossService: Row[] = [
  row(
    'firestore.get(): role from the user document grants',
    "    match /records/{file} {\n      allow read: if firestore.get(/databases/(default)/documents/users/$(request.auth.uid)).data.role == 'doctor';\n    }",
    { storage: 'records/r1.pdf', method: 'get', resource: png(10) },
    'allow',
    { store: FIRESTORE_STORE },
  ),
  row(
    'firestore.get(): role from the user document denies',
    "    match /records/{file} {\n      allow read: if firestore.get(/databases/(default)/documents/users/$(request.auth.uid)).data.role == 'doctor';\n    }",
    { storage: 'records/r1.pdf', method: 'get', resource: png(10) },
    'deny',
    { store: FIRESTORE_STORE, auth: bob },
  ),
  row(
    'firestore.get(): a missing document cannot grant',
    "    match /records/{file} {\n      allow read: if firestore.get(/databases/(default)/documents/users/$(request.auth.uid)).data.role == 'doctor';\n    }",
    { storage: 'records/r1.pdf', method: 'get', resource: png(10) },
    'deny',
    { store: FIRESTORE_STORE, auth: user('zoe') },
  ),
  row(
    'firestore.exists(): an existing grant',
    '    match /shared/{grantId}/{file} {\n      allow read: if firestore.exists(/databases/(default)/documents/grants/$(grantId));\n    }',
    { storage: 'shared/g1/a.pdf', method: 'get', resource: png(10) },
    'allow',
    { store: FIRESTORE_STORE },
  ),
  row(
    'firestore.exists(): a missing grant',
    '    match /shared/{grantId}/{file} {\n      allow read: if firestore.exists(/databases/(default)/documents/grants/$(grantId));\n    }',
    { storage: 'shared/g2/a.pdf', method: 'get', resource: png(10) },
    'deny',
    { store: FIRESTORE_STORE },
  ),
  row(
    'firestore.get() field compared with the caller',
    '    match /shared/{grantId}/{file} {\n      allow read: if firestore.get(/databases/(default)/documents/grants/$(grantId)).data.uid == request.auth.uid;\n    }',
    { storage: 'shared/g1/a.pdf', method: 'get', resource: png(10) },
    'allow',
    { store: FIRESTORE_STORE },
  ),
];

export const storageRows: Row[] = [...objects, ...ownership, ...crossService];
