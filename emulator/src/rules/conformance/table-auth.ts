/**
 * request.auth: signed in or not, uid ownership, custom claims, and the standard ID-token fields.
 */
import { firestoreRules, user, type Auth, type Row } from './harness';

function row(name: string, condition: string, auth: Auth | null, expect: Row['expect']): Row {
  return {
    name,
    rules: firestoreRules(`    match /users/{userId} {\n      allow get: if ${condition};\n    }`),
    req: { get: 'users/alice' },
    store: { 'users/alice': { name: 'Alice' } },
    auth,
    expect,
  };
}

const alice = user('alice');
const bob = user('bob');
const admin = user('carol', { admin: true, roles: ['doctor', 'staff'], clinicId: 'c1' });
const google = user('dave', {
  email: 'dave@gmail.com',
  email_verified: false,
  name: 'Dave',
  phone_number: '+34600000000',
  firebase: { sign_in_provider: 'google.com', identities: { 'google.com': ['123'], email: ['dave@gmail.com'] } },
});

// https://firebase.google.com/docs/firestore/security/rules-conditions#authentication and
// https://firebase.google.com/docs/rules/rules-and-auth — request.auth is null for unauthenticated requests;
// request.auth.uid is the user id; request.auth.token holds the ID token's fields (email, email_verified,
// phone_number, name, sub, firebase.identities, firebase.sign_in_provider) and custom claims.
export const authRows: Row[] = [
  row('signed-in user passes request.auth != null', 'request.auth != null', alice, 'allow'),
  row('anonymous request fails request.auth != null', 'request.auth != null', null, 'deny'),
  row('anonymous request passes request.auth == null', 'request.auth == null', null, 'allow'),
  row('owner matches the {userId} wildcard', 'request.auth.uid == userId', alice, 'allow'),
  row('another user does not match the {userId} wildcard', 'request.auth.uid == userId', bob, 'deny'),
  row('anonymous: request.auth.uid is an error that denies', 'request.auth.uid == userId', null, 'deny'),
  row(
    'anonymous: guarding with request.auth != null first',
    'request.auth != null && request.auth.uid == userId',
    null,
    'deny',
  ),
  row(
    'anonymous: the guard keeps the || alternative usable',
    'request.auth == null || request.auth.uid == userId',
    null,
    'allow',
  ),
  row('custom claim true grants', 'request.auth.token.admin == true', admin, 'allow'),
  row('custom claim absent is an error that denies', 'request.auth.token.admin == true', alice, 'deny'),
  row('custom claim false denies', 'request.auth.token.admin == true', user('erin', { admin: false }), 'deny'),
  row('absent claim read with get(key, default)', "request.auth.token.get('admin', false) == false", alice, 'allow'),
  row('claim presence tested with in', "!('admin' in request.auth.token)", alice, 'allow'),
  row('claim holding a list: role in the list', "'doctor' in request.auth.token.roles", admin, 'allow'),
  row('claim holding a list: role not in the list', "'admin' in request.auth.token.roles", admin, 'deny'),
  row('claim compared with a string', "request.auth.token.clinicId == 'c1'", admin, 'allow'),
  row('token.email', "request.auth.token.email == 'alice@example.com'", alice, 'allow'),
  row(
    'token.email matched with a regular expression',
    "request.auth.token.email.matches('.*@example[.]com')",
    alice,
    'allow',
  ),
  row('token.email of another domain', "request.auth.token.email.matches('.*@example[.]com')", google, 'deny'),
  row('token.email_verified true', 'request.auth.token.email_verified == true', alice, 'allow'),
  row('token.email_verified false', 'request.auth.token.email_verified == true', google, 'deny'),
  row('token.sub equals uid', 'request.auth.token.sub == request.auth.uid', alice, 'allow'),
  row('token.name', "request.auth.token.name == 'Dave'", google, 'allow'),
  row('token.phone_number', "request.auth.token.phone_number == '+34600000000'", google, 'allow'),
  row(
    'token.firebase.sign_in_provider',
    "request.auth.token.firebase.sign_in_provider == 'google.com'",
    google,
    'allow',
  ),
  row(
    'token.firebase.sign_in_provider of a password user',
    "request.auth.token.firebase.sign_in_provider == 'google.com'",
    alice,
    'deny',
  ),
  row(
    'token.firebase.identities keyed by provider',
    "'google.com' in request.auth.token.firebase.identities",
    google,
    'allow',
  ),
  row(
    'token.firebase.identities lists the email',
    "request.auth.token.firebase.identities['email'][0] == 'dave@gmail.com'",
    google,
    'allow',
  ),
];
