/**
 * The standard library, mostly the reference pages' own examples: string, int/float conversions, list, map,
 * MapDiff, set, path, timestamp, duration, math, hashing, latlng and bytes. Rows read `t/doc1` (harness SAMPLE:
 * when = 2024-03-15T10:20:30.123456Z, place = 40.4,-3.7, raw = bytes 01 02 03, nan/inf doubles).
 */
import { cond, firestoreRules, user, type Row } from './harness';

// https://firebase.google.com/docs/reference/rules/rules.String
const strings: Row[] = [
  cond("lower(): 'ABC'", "'ABC'.lower() == 'abc'", 'allow'),
  cond("lower(): 'ABC123'", "'ABC123'.lower() == 'abc123'", 'allow'),
  cond('upper()', "'abc'.upper() == 'ABC'", 'allow'),
  cond('matches(): whole-string match', "'user@domain.com'.matches('.*@domain[.]com')", 'allow'),
  cond('matches(): no match', "'banana'.matches('.*@domain[.]com')", 'deny'),
  cond('matches(): a substring is not a match', "'banana'.matches('ana')", 'deny'),
  cond("replace(): 'a' → 'o'", "'banana'.replace('a', 'o') == 'bonono'", 'allow'),
  cond("replace(): 'ana' → 'ee'", "'banana'.replace('ana', 'ee') == 'beena'", 'allow'),
  // The page's example shows '.' (any character) replacing every character; 'foo@test.com' has 12.
  cond("replace(): '.' is a regular expression", "'foo@test.com'.replace('.', '-') == '------------'", 'allow'),
  cond('replace(): no match returns the string', "'banana'.replace('z', 'o') == 'banana'", 'allow'),
  cond('size()', "'a'.size() == 1 && 'abc'.size() == 3", 'allow'),
  cond('split()', "'a/b/c'.split('/') == ['a', 'b', 'c']", 'allow'),
  cond('trim()', "'  a b  '.trim() == 'a b'", 'allow'),
  cond('toUtf8()', String.raw`'**'.toUtf8() == b'\x2A\x2A'`, 'allow'),
  cond('toUtf8() of a multi-byte character', String.raw`'€'.toUtf8() == b'\xE2\x82\xAC'`, 'allow'),
  cond('index operator', "resource.data.s[0] == 'a'", 'allow'),
  cond('range operator, upper bound exclusive', "'abcdef'[0:3] == 'abc'", 'allow'),
  cond("string(true) == 'true'", "string(true) == 'true'", 'allow'),
  cond("string(1) == '1'", "string(1) == '1'", 'allow'),
  cond("string(2.0) == '2.0'", "string(2.0) == '2.0'", 'allow'),
  cond("string(null) == 'null'", "string(null) == 'null'", 'allow'),
];

// matches(), replace() and split() take RE2 syntax (https://github.com/google/re2/wiki/Syntax), which the engine
// rewrites for JavaScript: code points as \x{…}, Unicode classes as RE2 names them, RE2's ASCII \s. What RE2 refuses
// (\u escapes, \p{Emoji}) is an error here too, so `!s.matches(…)` denies instead of allowing. The subject is stored
// (resource.data.s) so no row depends on the rules lexer's own escapes.
const on = (s: string) => ({ data: { s } });
const re2: Row[] = [
  cond('\\x{…} names a BMP code point', String.raw`resource.data.s.matches('a\\x{200D}b')`, 'allow', on('a\u200Db')),
  cond('\\x{…} names an astral code point', String.raw`resource.data.s.matches('\\x{1F469}')`, 'allow', on('👩')),
  cond(
    '\\x{…} ranges inside a class',
    String.raw`resource.data.s.matches('[\\x{1F3FB}-\\x{1F3FF}]')`,
    'allow',
    on('🏽'),
  ),
  cond('\\x{…} beyond U+10FFFF is an error', String.raw`!resource.data.s.matches('\\x{110000}')`, 'deny', on('a')),
  cond('\\xHH two hex digits', String.raw`resource.data.s.matches('\\x41')`, 'allow', on('A')),
  cond('\\u is not RE2 syntax: an error', String.raw`!resource.data.s.matches('\\u0061')`, 'deny', on('b')),
  cond('\\p{Cc} holds NUL', String.raw`resource.data.s.matches('a\\p{Cc}b')`, 'allow', on('a\u0000b')),
  cond('\\p{Cf} holds U+202E', String.raw`resource.data.s.matches('a\\p{Cf}b')`, 'allow', on('a\u202Eb')),
  cond(
    'a negated class of categories refuses U+FEFF',
    String.raw`resource.data.s.matches('[^\\p{Cc}\\p{Cf}]*')`,
    'deny',
    on('a\uFEFFb'),
  ),
  cond('\\pL one-letter class', String.raw`resource.data.s.matches('\\pL\\PL')`, 'allow', on('é1')),
  cond('\\p{Greek} is a script', String.raw`resource.data.s.matches('\\p{Greek}+')`, 'allow', on('λόγος')),
  cond('\\p{^Greek} negates', String.raw`resource.data.s.matches('\\p{^Greek}')`, 'allow', on('a')),
  cond('\\p{Emoji} is not an RE2 class: an error', String.raw`!resource.data.s.matches('\\p{Emoji}')`, 'deny', on('a')),
  cond('\\s is ASCII whitespace', String.raw`resource.data.s.matches('a\\sb\\sc')`, 'allow', on('a\tb c')),
  cond('\\s does not hold U+00A0', String.raw`resource.data.s.matches('a\\sb')`, 'deny', on('a\u00A0b')),
  cond('[^\\s] holds U+00A0', String.raw`resource.data.s.matches('a[^@\\s]b')`, 'allow', on('a\u00A0b')),
  cond('\\S holds U+FEFF', String.raw`resource.data.s.matches('a\\Sb')`, 'allow', on('a\uFEFFb')),
  cond('\\A and \\z anchor', String.raw`resource.data.s.matches('\\Aab\\z')`, 'allow', on('ab')),
  cond(
    'replace() takes RE2 syntax',
    String.raw`resource.data.s.replace('\\x{200D}', '') == 'ab'`,
    'allow',
    on('a\u200Db'),
  ),
];

// https://firebase.google.com/docs/reference/rules/rules.Integer and rules.Float — int() and float() convert.
const numbers: Row[] = [
  cond("int('2') == 2", "int('2') == 2 && int('2') is int", 'allow'),
  cond('int(2.0) == 2', 'int(2.0) == 2 && int(2.0) is int', 'allow'),
  cond("float('2.2') == 2.2", "float('2.2') == 2.2", 'allow'),
  cond('float(2) == 2.0', 'float(2) == 2.0 && float(2) is float', 'allow'),
  cond("int('abc') is an error", "int('abc') == 0", 'deny'),
];

// https://firebase.google.com/docs/reference/rules/rules.List
const lists: Row[] = [
  cond('size()', '[1, 2, 3].size() == 3', 'allow'),
  cond('index operator', '[1, 2, 3][1] == 2', 'allow'),
  cond('range operator', '[1, 2, 3, 4][1:3] == [2, 3]', 'allow'),
  cond('concat()', '[1, 2].concat([3]) == [1, 2, 3]', 'allow'),
  cond('hasAll(): true', "['a', 'b', 'c'].hasAll(['a', 'c'])", 'allow'),
  cond('hasAll(): false', "['a', 'b'].hasAll(['a', 'c'])", 'deny'),
  cond('hasAny(): true', "['a', 'b'].hasAny(['c', 'b'])", 'allow'),
  cond('hasAny(): false', "['a', 'b'].hasAny(['c', 'd'])", 'deny'),
  cond("hasOnly(): ['a','b'] with ['a','c'] is false", "['a', 'b'].hasOnly(['a', 'c']) == false", 'allow'),
  cond("hasOnly(): ['a','b'] with ['a','b','c'] is true", "['a', 'b'].hasOnly(['a', 'b', 'c']) == true", 'allow'),
  cond('hasOnly(): order does not matter', "['a', 'b'].hasOnly(['b', 'a']) == true", 'allow'),
  cond('hasOnly(): repeated elements', "['a', 'a', 'b'].hasOnly(['a', 'b', 'b']) == true", 'allow'),
  cond('hasOnly(): repeated elements and extras', "['a', 'a', 'b'].hasOnly(['a', 'b', 'b', 'c']) == true", 'allow'),
  cond('join()', "['a', 'b', 'c'].join(',') == 'a,b,c'", 'allow'),
  cond('removeAll()', '[1, 2, 3, 2].removeAll([2]) == [1, 3]', 'allow'),
  cond('toSet() drops duplicates', "['a', 'a', 'b'].toSet() == ['a', 'b'].toSet()", 'allow'),
  cond('stored list methods', 'resource.data.list.hasAll([1, 3]) && resource.data.list.size() == 3', 'allow'),
];

// https://firebase.google.com/docs/reference/rules/rules.Map
const maps: Row[] = [
  cond('get(): missing key returns the default', "{'a': 3, 'b': 2}.get('c', 7) == 7", 'allow'),
  cond('get(): a list default', "{'a': [2, 7], 'b': [9, 12]}.get('c', [1, 1]) == [1, 1]", 'allow'),
  cond('get(): a present key', "{'a': [2, 7], 'b': [9, 12]}.get('b', [1, 1]) == [9, 12]", 'allow'),
  cond('get(): nested key as a list', "{'a': {'b': 1}, 'c': 2}.get(['a', 'b'], 7) == 1", 'allow'),
  cond('get(): nested key missing', "{'a': {'b': 1}, 'c': 2}.get(['a', 'x'], 7) == 7", 'allow'),
  cond('keys()', "{'a': 1, 'b': 2}.keys().hasAll(['a', 'b']) && {'a': 1, 'b': 2}.keys().size() == 2", 'allow'),
  cond('values()', "{'a': 1, 'b': 2}.values().hasAll([1, 2])", 'allow'),
  cond('size()', "{'a': 1, 'b': 2}.size() == 2", 'allow'),
  cond('x.k and x[k]', "{'a': 1}.a == 1 && {'a': 1}['a'] == 1", 'allow'),
  cond('k in x', "'a' in {'a': 1} && !('b' in {'a': 1})", 'allow'),
  cond(
    'stored map get()',
    "resource.data.m.get('k', 'none') == 'v' && resource.data.get(['m', 'inner', 'x'], 0) == 1",
    'allow',
  ),
];

// https://firebase.google.com/docs/reference/rules/rules.MapDiff — the reference page's examples.
const mapDiffs: Row[] = [
  cond('addedKeys()', "{'a': 1}.diff({}).addedKeys() == ['a'].toSet()", 'allow'),
  cond(
    'affectedKeys()',
    "({'a': 0, 'c': 0, 'u': 0}).diff({'r': 0, 'c': 1, 'u': 0}).affectedKeys() == ['a', 'r', 'c'].toSet()",
    'allow',
  ),
  cond('changedKeys()', "{'a': 0}.diff({'a': 1, 'b': 4}).changedKeys() == ['a'].toSet()", 'allow'),
  cond('removedKeys()', "{}.diff({'a': 1}).removedKeys() == ['a'].toSet()", 'allow'),
  cond('unchangedKeys()', "{'a': 0}.diff({'a': 0}).unchangedKeys() == ['a'].toSet()", 'allow'),
  cond(
    'a changed nested value is a changed key',
    "{'m': {'x': 1}}.diff({'m': {'x': 2}}).changedKeys() == ['m'].toSet()",
    'allow',
  ),
];

const APPT = { 'appointments/a1': { patient: 'alice', status: 'booked', price: 50, note: 'x' } };

function diffRow(
  name: string,
  condition: string,
  patch: Record<string, unknown>,
  expect: Row['expect'],
  remove?: string[],
): Row {
  return {
    name,
    rules: firestoreRules(`    match /appointments/{id} {\n      allow update: if ${condition};\n    }`),
    req: { writes: [{ path: 'appointments/a1', patch, ...(remove ? { remove } : {}) }] },
    store: APPT,
    auth: user('alice'),
    expect,
  };
}

const ONLY_STATUS = "request.resource.data.diff(resource.data).affectedKeys().hasOnly(['status'])";

// https://firebase.google.com/docs/firestore/security/rules-fields#restricting_fields_on_update — the
// diff().affectedKeys().hasOnly([...]) pattern on updates.
const fieldUpdates: Row[] = [
  diffRow('update touching only status', ONLY_STATUS, { status: 'cancelled' }, 'allow'),
  diffRow('update touching status and price', ONLY_STATUS, { status: 'cancelled', price: 0 }, 'deny'),
  diffRow(
    'update writing an unchanged price counts as unaffected',
    ONLY_STATUS,
    { status: 'cancelled', price: 50 },
    'allow',
  ),
  diffRow('update adding a field', ONLY_STATUS, { status: 'cancelled', reason: 'ill' }, 'deny'),
  diffRow('update removing a field', ONLY_STATUS, { status: 'cancelled' }, 'deny', ['note']),
  diffRow('update changing nothing', ONLY_STATUS, {}, 'allow'),
  diffRow(
    'addedKeys() on update',
    "request.resource.data.diff(resource.data).addedKeys() == ['reason'].toSet()",
    { reason: 'ill' },
    'allow',
  ),
  diffRow(
    'removedKeys() on update',
    "request.resource.data.diff(resource.data).removedKeys().hasOnly(['note'])",
    {},
    'allow',
    ['note'],
  ),
  diffRow(
    'changedKeys() on update',
    "request.resource.data.diff(resource.data).changedKeys() == ['price'].toSet()",
    { price: 60 },
    'allow',
  ),
];

// https://firebase.google.com/docs/reference/rules/rules.Set — the reference page's examples.
const sets: Row[] = [
  cond('size()', "['a', 'b'].toSet().size() == 2", 'allow'),
  cond('v in set', "'a' in ['a', 'b'].toSet()", 'allow'),
  cond('== ignores order', "['a', 'b'].toSet() == ['b', 'a'].toSet()", 'allow'),
  cond('difference()', "['a', 'b'].toSet().difference(['a', 'c'].toSet()) == ['b'].toSet()", 'allow'),
  cond('hasAll(): false', "['a', 'b'].toSet().hasAll(['a', 'c']) == false", 'allow'),
  cond('hasAll(): true', "['d', 'e', 'f'].toSet().hasAll(['d', 'e']) == true", 'allow'),
  cond('hasAny(): false', "['a', 'b'].toSet().hasAny(['c', 'd'].toSet()) == false", 'allow'),
  cond('hasAny(): true', "['a', 'b'].toSet().hasAny(['a', 'c'].toSet()) == true", 'allow'),
  cond('hasOnly(): false', "['a', 'b'].toSet().hasOnly(['a', 'c']) == false", 'allow'),
  cond('hasOnly(): true', "['a', 'b'].toSet().hasOnly(['a', 'b']) == true", 'allow'),
  cond('intersection()', "['a', 'b'].toSet().intersection(['a', 'c'].toSet()) == ['a'].toSet()", 'allow'),
  cond('union()', "['a', 'b'].toSet().union(['a', 'c'].toSet()) == ['a', 'b', 'c'].toSet()", 'allow'),
];

// https://firebase.google.com/docs/reference/rules/rules.Path — raw paths, path() from a string, ==, x[i], bind().
const paths: Row[] = [
  cond('path() from a string equals a raw path', "path('path/to/resource') == /path/to/resource", 'allow'),
  cond('raw paths differ', '/a/b == /a/c', 'deny'),
  cond('x[i] on request.path', "request.path[3] == 't' && request.path[4] == 'doc1'", 'allow'),
  cond('a raw path with $() interpolation', 'request.path == /databases/$(database)/documents/t/$(id)', 'allow'),
  cond('a stored reference is a path', 'resource.data.owner == /databases/$(database)/documents/users/alice', 'allow'),
  // The page's own example: names inside $() that are not variables are placeholders bind() fills in. The page
  // does not say what such a path is before bind(); only the bound result is tested.
  cond(
    'bind()',
    "(/path/$(foo)/$(bar)).bind({'foo': 'something', 'bar': 'another'}) == /path/something/another",
    'allow',
  ),
];

// https://firebase.google.com/docs/reference/rules/rules.Timestamp and rules.timestamp (date(), value()).
const timestamps: Row[] = [
  cond(
    'timestamp.date() is midnight UTC of that day',
    'timestamp.date(1984, 1, 2) == timestamp.value(441849600000)',
    'allow',
  ),
  cond('timestamp.value(0) is the epoch', 'timestamp.value(0) == timestamp.date(1970, 1, 1)', 'allow'),
  cond(
    'year() month() day()',
    'resource.data.when.year() == 2024 && resource.data.when.month() == 3 && resource.data.when.day() == 15',
    'allow',
  ),
  cond(
    'hours() minutes() seconds()',
    'resource.data.when.hours() == 10 && resource.data.when.minutes() == 20 && resource.data.when.seconds() == 30',
    'allow',
  ),
  cond('nanos()', 'resource.data.when.nanos() == 123456000', 'allow'),
  cond('toMillis()', 'resource.data.when.toMillis() == 1710498030123', 'allow'),
  cond('dayOfYear() in a leap year', 'resource.data.when.dayOfYear() == 75', 'allow'),
  cond('dayOfWeek() is 1 to 7', 'resource.data.when.dayOfWeek() >= 1 && resource.data.when.dayOfWeek() <= 7', 'allow'),
  cond('date() keeps year, month and day', 'resource.data.when.date() == timestamp.date(2024, 3, 15)', 'allow'),
  cond(
    'time() is the time of day as a duration',
    'resource.data.when.time() == duration.time(10, 20, 30, 123456000)',
    'allow',
  ),
  cond(
    'timestamp + duration',
    "timestamp.date(2024, 1, 1) + duration.value(1, 'd') == timestamp.date(2024, 1, 2)",
    'allow',
  ),
  cond(
    'timestamp - duration',
    "timestamp.date(2024, 3, 1) - duration.value(1, 'd') == timestamp.date(2024, 2, 29)",
    'allow',
  ),
  cond('timestamps order', 'timestamp.date(2024, 1, 1) < timestamp.date(2024, 1, 2)', 'allow'),
  cond(
    'a stored timestamp compared with a constructed one',
    'resource.data.when > timestamp.date(2024, 3, 15) && resource.data.when < timestamp.date(2024, 3, 16)',
    'allow',
  ),
];

// https://firebase.google.com/docs/reference/rules/rules.Duration and rules.duration (abs(), time(), value()
// with units w d h m s ms ns); durations have nanosecond accuracy.
const durations: Row[] = [
  cond(
    'duration.abs() — the page example',
    "duration.abs(duration.value(-10, 's')) == duration.value(10, 's')",
    'allow',
  ),
  cond('1 week is 7 days', "duration.value(1, 'w') == duration.value(7, 'd')", 'allow'),
  cond('1 hour is 60 minutes', "duration.value(1, 'h') == duration.value(60, 'm')", 'allow'),
  cond('1 second is 1000 ms', "duration.value(1, 's') == duration.value(1000, 'ms')", 'allow'),
  cond('1 ms is 1000000 ns', "duration.value(1, 'ms') == duration.value(1000000, 'ns')", 'allow'),
  cond('duration.time() adds its parts', "duration.time(1, 30, 0, 0) == duration.value(90, 'm')", 'allow'),
  cond('seconds()', "duration.value(90, 's').seconds() == 90", 'allow'),
  cond(
    'seconds() and nanos() split a duration',
    "duration.value(1500, 'ms').seconds() == 1 && duration.value(1500, 'ms').nanos() == 500000000",
    'allow',
  ),
  cond('nanos() keeps nanosecond accuracy', "duration.value(1500, 'ns').nanos() == 1500", 'allow'),
  cond('durations order', "duration.value(1, 'm') < duration.value(61, 's')", 'allow'),
  cond('an unknown unit is an error', "duration.value(1, 'y') == duration.value(365, 'd')", 'deny'),
];

// https://firebase.google.com/docs/reference/rules/rules.math — the page's examples; ceil, floor and round return
// rules.Integer, pow and sqrt rules.Float.
const math: Row[] = [
  cond('abs()', 'math.abs(-1) == 1 && math.abs(1) == 1', 'allow'),
  cond('ceil()', 'math.ceil(2.0) == 2 && math.ceil(2.1) == 3 && math.ceil(2.7) == 3', 'allow'),
  cond('ceil() returns an int', 'math.ceil(2.1) is int', 'allow'),
  cond('floor()', 'math.floor(1.9) == 1 && math.floor(2.0) == 2 && math.floor(2.7) == 2', 'allow'),
  cond('floor() returns an int', 'math.floor(2.7) is int', 'allow'),
  cond('round()', 'math.round(1.9) == 2 && math.round(2.4) == 2 && math.round(2.5) == 3', 'allow'),
  cond('round() returns an int', 'math.round(2.5) is int', 'allow'),
  cond('pow()', 'math.pow(2, 2) == 4 && math.pow(1.5, 2) == 2.25 && math.pow(4, 0.5) == 2', 'allow'),
  cond('pow() returns a float', 'math.pow(2, 2) is float', 'allow'),
  cond('sqrt()', 'math.sqrt(4) == 2.0 && math.sqrt(2.25) == 1.5', 'allow'),
  cond('isInfinite()', 'math.isInfinite(resource.data.inf) && math.isInfinite(100) == false', 'allow'),
  cond('isNaN()', 'math.isNaN(resource.data.nan) && math.isNaN(100) == false', 'allow'),
];

// https://firebase.google.com/docs/reference/rules/rules.hashing — crc32, crc32c, md5, sha256 of bytes or of a
// string's UTF-8, returning rules.Bytes.
const hashing: Row[] = [
  cond(
    'sha256 of a string',
    "hashing.sha256('abc').toHexString() == 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD'",
    'allow',
  ),
  cond('md5 of the empty string', "hashing.md5('').toHexString() == 'D41D8CD98F00B204E9800998ECF8427E'", 'allow'),
  cond('crc32 check value', "hashing.crc32('123456789').toHexString() == 'CBF43926'", 'allow'),
  cond('crc32c check value', "hashing.crc32c('123456789').toHexString() == 'E3069283'", 'allow'),
  cond('a string hashes as its UTF-8 bytes', "hashing.sha256('€') == hashing.sha256(b'€')", 'allow'),
  cond('hashes are bytes', "hashing.md5('a') is bytes", 'allow'),
  cond('different inputs hash differently', "hashing.sha256('a') == hashing.sha256('b')", 'deny'),
];

// https://firebase.google.com/docs/reference/rules/rules.LatLng and rules.latlng.
const latlngs: Row[] = [
  cond(
    'latlng.value() and latitude()/longitude()',
    'latlng.value(45.0, 90.0).latitude() == 45.0 && latlng.value(45.0, 90.0).longitude() == 90.0',
    'allow',
  ),
  cond('stored geopoint', 'resource.data.place.latitude() == 40.4 && resource.data.place.longitude() == -3.7', 'allow'),
  cond(
    'distance() in meters: one degree of longitude at the equator',
    'latlng.value(0.0, 0.0).distance(latlng.value(0.0, 1.0)) > 110000 && latlng.value(0.0, 0.0).distance(latlng.value(0.0, 1.0)) < 112000',
    'allow',
  ),
  cond('distance() to itself is zero', 'resource.data.place.distance(resource.data.place) == 0', 'allow'),
  cond('latlng equality', 'latlng.value(40.4, -3.7) == resource.data.place', 'allow'),
];

// https://firebase.google.com/docs/reference/rules/rules.Bytes — b'' literals (characters as UTF-8, \xHH, \ooo)
// and the page's examples; toBase64() uses base64url.
const byteRows: Row[] = [
  cond("b'*' == b'\\x2A' == b'\\052'", String.raw`b'*' == b'\x2A' && b'\x2A' == b'\052'`, 'allow'),
  cond("b'€' is its UTF-8 encoding", String.raw`b'€' == b'\342\202\254' && b'€' == b'\xE2\x82\xAC'`, 'allow'),
  cond('size()', String.raw`b'\xFF\xFF'.size() == 2 && b'a'.size() == 1 && b'€'.size() == 3`, 'allow'),
  cond('toBase64() is base64url', String.raw`b'\xFB\xEF\xBE'.toBase64() == '----'`, 'allow'),
  cond(
    'toHexString()',
    String.raw`b'\x2A'.toHexString() == '2A' && b'**'.toHexString() == '2A2A' && b'€'.toHexString() == 'E282AC'`,
    'allow',
  ),
  cond('stored bytes', String.raw`resource.data.raw == b'\x01\x02\x03' && resource.data.raw.size() == 3`, 'allow'),
  cond('different bytes', String.raw`b'\x01' == b'\x02'`, 'deny'),
];

/** Section names keep row names unique (several types have size(), hasAll(), …). */
function section(prefix: string, rows: Row[]): Row[] {
  return rows.map((r) => ({ ...r, name: `${prefix}: ${r.name}` }));
}

export const stdlibRows: Row[] = [
  ...section('string', strings),
  ...section('string RE2 syntax', re2),
  ...section('int/float', numbers),
  ...section('list', lists),
  ...section('map', maps),
  ...section('map_diff', mapDiffs),
  ...section('map_diff on updates', fieldUpdates),
  ...section('set', sets),
  ...section('path', paths),
  ...section('timestamp', timestamps),
  ...section('duration', durations),
  ...section('math', math),
  ...section('hashing', hashing),
  ...section('latlng', latlngs),
  ...section('bytes', byteRows),
];
