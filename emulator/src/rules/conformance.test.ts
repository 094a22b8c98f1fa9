/**
 * Conformance of our Security Rules engine with Firebase's documented behaviour: every table row is one test,
 * named after the row, judged through the same code the engine uses (FirestoreRules' authorizer, or
 * Ruleset.evaluate for Storage). Expectations come from the Firebase documentation cited in each table.
 */
import { describe, expect, it } from 'vitest';
import { compileRules } from './compile';
import { expectedPosition, judge, type Row } from './conformance/harness';
import { authRows } from './conformance/table-auth';
import { compileErrorRows } from './conformance/table-compile';
import { functionRows } from './conformance/table-functions';
import { languageRows } from './conformance/table-language';
import { lookupRows } from './conformance/table-lookups';
import { methodRows } from './conformance/table-methods';
import { pathRows } from './conformance/table-paths';
import { queryRows } from './conformance/table-queries';
import { requestRows } from './conformance/table-request';
import { stdlibRows } from './conformance/table-stdlib';
import { storageRows } from './conformance/table-storage';
import { RulesCompileError } from './parser';

const tables: [string, Row[]][] = [
  ['language, operators and errors', languageRows],
  ['functions, let and limits', functionRows],
  ['match paths and wildcards', pathRows],
  ['methods', methodRows],
  ['request.auth', authRows],
  ['request and resource', requestRows],
  ['get / exists / getAfter / existsAfter', lookupRows],
  ['list queries judged by constraints', queryRows],
  ['standard library', stdlibRows],
  ['storage', storageRows],
];

describe('rules conformance', () => {
  for (const [area, rows] of tables) {
    describe(area, () => {
      it('has unique row names', () => {
        const names = rows.map((r) => r.name);
        expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
      });
      for (const row of rows) {
        const test = row.knownGap ? it.fails : it;
        test(row.knownGap ? `${row.name} [known gap: ${row.knownGap}]` : row.name, async () => {
          const verdict = await judge(row);
          // The reason shows in the diff when a row fails.
          expect(verdict, verdict.reason).toMatchObject({ outcome: row.expect });
        });
      }
    });
  }

  describe('files that do not compile', () => {
    for (const row of compileErrorRows) {
      it(row.name, () => {
        let error: unknown;
        try {
          compileRules(row.rules, 'conformance.rules');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(RulesCompileError);
        const issue = (error as RulesCompileError).issues[0];
        expect(issue && { line: issue.line, column: issue.column }, issue?.message).toEqual(expectedPosition(row));
        if (row.mentions) expect(issue?.message.toLowerCase()).toContain(row.mentions.toLowerCase());
      });
    }
  });
});
