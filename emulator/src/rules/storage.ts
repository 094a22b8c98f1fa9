/**
 * Security Rules for the Storage emulator: turns a Storage request into the rules' `request` and `resource` (the
 * object metadata Firebase documents for rules.firestore's sibling, `firebase.storage.Resource`) and judges it.
 * `firestore.get()` / `firestore.exists()` read the embedded Firestore engine, so storage.rules can check grant
 * documents the way they do on Firebase.
 */
import type { Document } from '../firestore/types';
import type { StorageAuthRequest } from '../storage/server';
import type { StoredObjectMetadata } from '../storage/store';
import { compileRules, type Ruleset } from './compile';
import { LookupBudget, type Decision, type DocumentAccess } from './evaluator';
import { resourceOf, SINGLE_DOC_LOOKUPS } from './firestore';
import { RulesCompileError } from './parser';
import { fromJs, RMap, RPath, RTimestamp, type RValue } from './values';

export interface StorageRulesOptions {
  /** Reads a Firestore document by full name (no rules, no locks) for firestore.get()/exists(). */
  readDocument(name: string): Document | null;
  /** The project whose documents firestore.get()/exists() read unless judge() is told another. */
  projectId: string;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

/**
 * The rules view of an object: `firebase.storage.Resource` (name, bucket, size, contentType, metadata, md5Hash,
 * crc32c, etag, generation, metageneration, timeCreated, updated and the content headers).
 * @param m - the stored (or about-to-be-stored) object metadata
 */
export function storageResource(m: StoredObjectMetadata): RMap {
  const fields: Record<string, RValue> = {
    name: m.name,
    bucket: m.bucket,
    size: BigInt(m.size),
    contentType: m.contentType,
    metadata: fromJs(m.metadata),
    md5Hash: m.md5Hash,
    crc32c: m.crc32c,
    etag: `${m.md5Hash}-${m.generation}-${m.metageneration}`,
    generation: BigInt(m.generation),
    metageneration: BigInt(m.metageneration),
    timeCreated: RTimestamp.fromString(m.timeCreated),
    updated: RTimestamp.fromString(m.updated),
  };
  if (m.contentDisposition !== undefined) fields.contentDisposition = m.contentDisposition;
  if (m.contentEncoding !== undefined) fields.contentEncoding = m.contentEncoding;
  if (m.contentLanguage !== undefined) fields.contentLanguage = m.contentLanguage;
  if (m.cacheControl !== undefined) fields.cacheControl = m.cacheControl;
  return RMap.of(fields);
}

/** Holds the current storage.rules and judges Storage requests with them. */
export class StorageRules {
  private ruleset: Ruleset | null = null;

  constructor(private readonly opts: StorageRulesOptions) {}

  /**
   * Replaces the rules; a file that does not compile throws and leaves the last good rules in force.
   * @throws RulesCompileError
   */
  load(source: string, fileName = 'storage.rules'): void {
    const next = compileRules(source, fileName);
    if (!next.hasService('firebase.storage'))
      throw new RulesCompileError([{ line: 1, column: 1, message: "no 'service firebase.storage' block" }], fileName);
    this.ruleset = next;
    this.opts.log?.('rules-loaded', { service: 'firebase.storage', fileName });
  }

  get loaded(): boolean {
    return this.ruleset !== null;
  }

  /** firestore.get(/databases/(default)/documents/...) reads the given project: the path starts at `databases`. */
  private access(projectId: string): DocumentAccess {
    return {
      read: (p: RPath) => {
        const found = this.opts.readDocument(`projects/${projectId}/${p.segments.join('/')}`);
        return found ? resourceOf(found) : null;
      },
    };
  }

  /**
   * Judges one request; with no rules loaded every request is denied.
   * @param q - the request as the Storage server sees it
   * @param projectId - the project whose Firestore firestore.get()/exists() read (default: the one these rules were
   *   made for); the bucket's own project when one ruleset serves several
   */
  judge(q: StorageAuthRequest, projectId = this.opts.projectId): Decision {
    if (!this.ruleset) return { allowed: false, reason: 'no storage.rules loaded' };
    const segments = ['b', q.bucket, 'o', ...(q.path === '' ? [] : q.path.split('/'))];
    const auth = q.ctx.auth ? RMap.of({ uid: q.ctx.auth.uid, token: fromJs(q.ctx.auth.token) }) : null;
    return this.ruleset.evaluate('firebase.storage', {
      path: segments,
      method: q.method,
      request: RMap.of({
        auth,
        method: q.method,
        path: new RPath(segments),
        time: new RTimestamp(BigInt(Date.now()) * 1000n),
        resource: q.requestResource ? storageResource(q.requestResource) : null,
      }),
      resource: q.resource ? storageResource(q.resource) : null,
      access: this.access(projectId),
      budget: new LookupBudget(SINGLE_DOC_LOOKUPS),
    });
  }
}
