/**
 * The expression language: literals, operators and their precedence, `in`, `is` type checks, and how errors
 * inside a condition are handled. Every row reads `t/doc1`, whose fields are harness SAMPLE
 * (n: 5, f: 1.5, s: 'abc', b: true, nul: null, list: [1, 2, 3], m: {k: 'v', inner: {x: 1}}, whole: 2.0 stored as a
 * double, when: a timestamp, place: a geopoint, owner: a reference, raw: bytes, nan: NaN, inf: Infinity).
 *
 * A deny row that could pass for the wrong reason (any error denies) is paired with an allow row of the same
 * shape; `!(x)` tells a false `x` (allowed) from an erroring `x` (an error stays an error under `!`).
 */
import { cond, firestoreRules, type Row } from './harness';

// https://firebase.google.com/docs/rules/rules-language — "Operators and operator precedence":
// a[i] a() a.f, then unary ! -, then * / %, then + -, then > >= < <=, then `in` and `is`, then == !=, then &&,
// then ||, then ?: (lowest).
const operators: Row[] = [
  cond('int addition', '1 + 2 == 3', 'allow'),
  cond('int addition, wrong sum', '1 + 2 == 4', 'deny'),
  cond('subtraction and multiplication', '2 * 3 - 1 == 5', 'allow'),
  cond('* binds tighter than +', '2 + 3 * 4 == 14', 'allow'),
  cond('parentheses override precedence', '(2 + 3) * 4 == 20', 'allow'),
  // rules.Integer: integers support + - * / %; integer division keeps an integer.
  cond('int division keeps an int', '7 / 2 == 3', 'allow'),
  cond('modulo', '7 % 3 == 1', 'allow'),
  cond('float division', '7.0 / 2 == 3.5', 'allow'),
  cond('unary minus', '-(2) == 0 - 2', 'allow'),
  cond('stored int arithmetic', 'resource.data.n * 2 == 10', 'allow'),
  cond('stored float arithmetic', 'resource.data.f + resource.data.f == 3.0', 'allow'),
  // rules.Float examples compare floats with ints (float(2) == 2.0; math.pow(2, 2) == 4 with a float result).
  cond('int equals float of the same value', '2 == 2.0', 'allow'),
  cond('int and float order by value', '1 < 1.5 && 2.0 > 1', 'allow'),
  cond('!= between different values', '1 != 2', 'allow'),
  cond('!= between equal values', '1 != 1', 'deny'),
  // rules.String: lexicographic comparison and + concatenation.
  cond('string concatenation', "'username' + '@domain.com' == 'username@domain.com'", 'allow'),
  cond('string equality is case sensitive', "'A' == 'a'", 'deny'),
  cond('strings compare lexicographically', "'abc' < 'abd' && 'b' > 'a'", 'allow'),
  cond('! binds tighter than ==', '!true == false', 'allow'),
  cond('&& binds tighter than || (true)', 'true && false || true', 'allow'),
  cond('&& binds tighter than || (false)', 'false || true && false', 'deny'),
  cond('relational binds tighter than ==', '1 < 2 == true', 'allow'),
  cond('ternary picks the true branch', '1 < 2 ? true : false', 'allow'),
  cond('ternary picks the false branch', '1 > 2 ? true : false', 'deny'),
  cond('ternary has the lowest precedence', 'false || true ? 1 == 1 : 1 == 2', 'allow'),
  cond('null equals null', 'null == null', 'allow'),
  cond('a stored null equals null', 'resource.data.nul == null', 'allow'),
  cond('a value is not null', 'resource.data.n != null', 'allow'),
  cond('list literals compare element-wise', '[1, 2] == [1, 2]', 'allow'),
  cond('list order matters for ==', '[1, 2] == [2, 1]', 'deny'),
  cond('map literals compare regardless of key order', "{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", 'allow'),
  cond('map literal with nested field access', "{'a': {'b': 1}}.a.b == 1", 'allow'),
  cond('stored list equals a literal', 'resource.data.list == [1, 2, 3]', 'allow'),
  cond('stored map equals a literal', "resource.data.m == {'k': 'v', 'inner': {'x': 1}}", 'allow'),
  cond('index operator on a map', "resource.data['s'] == 'abc'", 'allow'),
  cond('dot access on a nested map', 'resource.data.m.inner.x == 1', 'allow'),
  cond('index operator on a list', 'resource.data.list[0] == 1', 'allow'),
  // rules.List: `v in x`; rules.Map: `k in x` checks a key.
  cond('in finds a list element', "'a' in ['a', 'b']", 'allow'),
  cond('in misses a list element', "'c' in ['a', 'b']", 'deny'),
  cond('in checks map keys', "'k' in resource.data.m", 'allow'),
  cond('in does not look at map values', "'v' in resource.data.m", 'deny'),
  cond('in binds tighter than &&', "'a' in ['a'] && 2 in [2]", 'allow'),
  cond('a double-quoted string equals a single-quoted one', `"abc" == 'abc'`, 'allow'),
];

// https://firebase.google.com/docs/rules/rules-language — data types and the `is` operator
// (bool, bytes, float, int, list, latlng, number, map, path, string, timestamp, duration).
const types: Row[] = [
  cond('int is int', 'resource.data.n is int', 'allow'),
  cond('int is number', 'resource.data.n is number', 'allow'),
  cond('int is not float', 'resource.data.n is float', 'deny'),
  cond('float is float', 'resource.data.f is float', 'allow'),
  cond('float is number', 'resource.data.f is number', 'allow'),
  cond('a stored integral double is float', 'resource.data.whole is float', 'allow'),
  cond('a stored integral double is not int', 'resource.data.whole is int', 'deny'),
  cond('string is string', 'resource.data.s is string', 'allow'),
  cond('string is not int', 'resource.data.s is int', 'deny'),
  cond('bool is bool', 'resource.data.b is bool', 'allow'),
  cond('list is list', 'resource.data.list is list', 'allow'),
  cond('map is map', 'resource.data.m is map', 'allow'),
  cond('list is not map', 'resource.data.list is map', 'deny'),
  cond('stored timestamp is timestamp', 'resource.data.when is timestamp', 'allow'),
  cond('request.time is timestamp', 'request.time is timestamp', 'allow'),
  cond('stored geopoint is latlng', 'resource.data.place is latlng', 'allow'),
  cond('stored reference is path', 'resource.data.owner is path', 'allow'),
  cond('stored bytes are bytes', 'resource.data.raw is bytes', 'allow'),
  cond('duration.value() is duration', "duration.value(1, 's') is duration", 'allow'),
  cond('null is not string', '!(resource.data.nul is string)', 'allow'),
  cond('a float literal is float', '1.0 is float && !(1.0 is int)', 'allow'),
  cond('is binds tighter than &&', 'resource.data.n is int && resource.data.s is string', 'allow'),
];

// https://firebase.google.com/docs/reference/security/storage#errors (the language is shared with Firestore):
// error && true → error, error && false → false, error || true → true, error || false → error, and a condition
// that ends in an error denies. Reading a field a map does not have is an error.
const errors: Row[] = [
  cond('reading a missing field is an error that denies', 'resource.data.nope == 1', 'deny'),
  cond('error || true is true', 'resource.data.nope == 1 || true', 'allow'),
  cond('true || error is true', 'true || resource.data.nope == 1', 'allow'),
  cond('error && false is false', '!(resource.data.nope == 1 && false)', 'allow'),
  cond('false && error is false', '!(false && resource.data.nope == 1)', 'allow'),
  cond('error || false is an error', '!(resource.data.nope == 1 || false)', 'deny'),
  cond('error && true is an error', '!(resource.data.nope == 1 && true)', 'deny'),
  cond('error && true denies', 'resource.data.nope == 1 && true', 'deny'),
  cond('! of an error is an error', '!(resource.data.nope == 1)', 'deny'),
  cond('field of null is an error', 'resource.data.nul.x == 1', 'deny'),
  cond('field of null is forgiven by || true', 'resource.data.nul.x == 1 || true', 'allow'),
  cond('list index out of range is an error', '[1][5] == 1', 'deny'),
  cond('list index out of range is forgiven by || true', '[1][5] == 1 || true', 'allow'),
  cond('string + int is an error', "'a' + 1 == 'a1'", 'deny'),
  cond('string + string(int) is fine', "'a' + string(1) == 'a1'", 'allow'),
  cond('int division by zero is an error', '!(1 / 0 == 0)', 'deny'),
  cond('an error on the left of ?: is an error', '(resource.data.nope == 1) ? true : true', 'deny'),
  cond('map.get() with a default avoids the error', "resource.data.get('nope', 0) == 0", 'allow'),
  cond('in tests a key without erroring', "!('nope' in resource.data)", 'allow'),
  {
    name: 'an erroring allow does not stop another allow from granting',
    rules: firestoreRules(`    match /t/{id} {
      allow get: if resource.data.nope == 1;
      allow get: if resource.data.n == 5;
    }`),
    req: { get: 't/doc1' },
    store: { 't/doc1': { n: 5 } },
    expect: 'allow',
  },
  {
    name: 'an error in one match block does not stop an overlapping block from granting',
    rules: firestoreRules(`    match /t/{id} {
      allow get: if resource.data.nope == 1;
    }
    match /{document=**} {
      allow get: if true;
    }`),
    req: { get: 't/doc1' },
    store: { 't/doc1': { n: 5 } },
    expect: 'allow',
  },
  {
    name: 'a condition that is not a bool does not grant',
    rules: firestoreRules(`    match /t/{id} {
      allow get: if 'true';
    }`),
    req: { get: 't/doc1' },
    store: { 't/doc1': { n: 5 } },
    expect: 'deny',
    denyMayBeCompileError: true,
  },
];

export const languageRows: Row[] = [...operators, ...types, ...errors];
