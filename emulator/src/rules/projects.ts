/**
 * Security Rules kept per project, as Firebase keeps them: one engine serves several projects at once (the app's
 * `npm start` and a rules-unit-testing run with its own projectId), and loading rules for one of them must never
 * change what another enforces. Firestore requests name their project in every resource name; Storage requests
 * name a bucket, whose project is read from its name.
 */
import { Code, FirestoreError, type Authorizer, type Document } from '../firestore/types';
import { projectOfBucket } from '../storage/common';
import type { StorageAuthRequest } from '../storage/server';
import type { Decision } from './evaluator';
import { FirestoreRules, type RulesDecisionEvent } from './firestore';
import { StorageRules } from './storage';

type Log = (event: string, fields?: Record<string, unknown>) => void;

/** The project a Firestore resource name (`projects/{p}/databases/...`) belongs to, or undefined. */
export function projectOfName(name: string): string | undefined {
  const m = /^projects\/([^/]+)(?:\/|$)/.exec(name);
  return m?.[1];
}

/** Firestore rules per project, with one Authorizer that judges each request by the rules of its own project. */
export class FirestoreRulesByProject {
  private readonly byProject = new Map<string, { rules: FirestoreRules; authorizer: Authorizer }>();
  private readonly observers = new Set<(e: RulesDecisionEvent) => void>();

  /**
   * @param opts - how rules read documents (get()/exists()), and the log
   * @param defaultProject - the project `load()` without a project id is for (the engine's configured project)
   */
  constructor(
    private readonly opts: { read(name: string): Document | null; log?: Log },
    readonly defaultProject: string,
  ) {}

  /**
   * Replaces one project's rules; a file that does not compile throws and leaves that project's last good rules in
   * force. Other projects are not touched.
   * @param source - the rules file's text
   * @param fileName - for error messages
   * @param projectId - whose rules these are (default: the configured project)
   */
  load(source: string, fileName = 'firestore.rules', projectId = this.defaultProject): void {
    const existing = this.byProject.get(projectId);
    if (existing) {
      existing.rules.load(source, fileName);
      return;
    }
    // Compiled before it is registered, so a project whose first rules do not compile stays without rules.
    const rules = new FirestoreRules(this.opts);
    rules.load(source, fileName);
    rules.observe((e) => {
      for (const fn of this.observers) fn(e);
    });
    this.byProject.set(projectId, { rules, authorizer: rules.authorizer() });
  }

  /** Whether a project has rules loaded (a project without them denies every client request). */
  loaded(projectId = this.defaultProject): boolean {
    return this.byProject.has(projectId);
  }

  /**
   * Calls `fn` after every request judged, in every project.
   * @returns a function that stops observing
   */
  observe(fn: (e: RulesDecisionEvent) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  /** The engine's Authorizer: each request is judged by the rules of the project its resource names belong to. */
  authorizer(): Authorizer {
    const of = (name: string): Authorizer => {
      const project = projectOfName(name);
      if (project === undefined)
        throw new FirestoreError(Code.INVALID_ARGUMENT, `"${name}" does not name a project (projects/{p}/databases/…)`);
      const entry = this.byProject.get(project);
      if (!entry)
        throw new FirestoreError(
          Code.PERMISSION_DENIED,
          `No Firestore security rules are loaded for project ${project}: every client request is denied`,
        );
      return entry.authorizer;
    };
    return {
      authorizeGet: async (ctx, name, existing) => of(name).authorizeGet(ctx, name, existing),
      authorizeList: async (ctx, query) => of(query.parent).authorizeList(ctx, query),
      authorizeWrites: async (ctx, database, changes, readAfter, time) =>
        of(database).authorizeWrites(ctx, database, changes, readAfter, time),
    };
  }
}

/**
 * Storage rules per project. A project's own rules come from startup or from a `setRules` that names one of its
 * buckets; a `setRules` naming no bucket (what @firebase/rules-unit-testing sends, and what firebase-tools applies to
 * every bucket) becomes the fallback for the projects that have no rules of their own, so it can never replace the
 * rules an app was started with.
 */
export class StorageRulesByProject {
  private readonly byProject = new Map<string, StorageRules>();
  private fallback: StorageRules | null = null;

  /**
   * @param opts - how rules read Firestore documents (firestore.get()/exists()), and the log
   * @param defaultProject - the project `load()` without a project id is for (the stack's configured project)
   */
  constructor(
    private readonly opts: { readDocument(name: string): Document | null; log?: Log },
    readonly defaultProject: string,
  ) {}

  private create(projectId: string): StorageRules {
    return new StorageRules({
      readDocument: this.opts.readDocument,
      projectId,
      ...(this.opts.log ? { log: this.opts.log } : {}),
    });
  }

  /**
   * Replaces one project's own rules; a file that does not compile throws and leaves the last good rules in force.
   * @param source - the rules file's text
   * @param fileName - for error messages
   * @param projectId - whose rules these are (default: the configured project)
   */
  load(source: string, fileName = 'storage.rules', projectId = this.defaultProject): void {
    const rules = this.byProject.get(projectId) ?? this.create(projectId);
    rules.load(source, fileName);
    this.byProject.set(projectId, rules);
  }

  /**
   * Replaces the rules of every project that has none of its own (a `setRules` naming no bucket).
   * @param source - the rules file's text
   * @param fileName - for error messages
   */
  loadFallback(source: string, fileName = 'storage.rules'): void {
    const rules = this.fallback ?? this.create(this.defaultProject);
    rules.load(source, fileName);
    this.fallback = rules;
  }

  /**
   * Replaces several rules files at once (one `setRules`): each is for the project of its bucket, or the fallback when
   * it names none. Every file is compiled before any is installed, so one that does not compile changes nothing.
   * @param files - the files, each with its bucket or none
   */
  replace(files: { source: string; fileName: string; bucket?: string }[]): void {
    const compiled = files.map((f) => {
      const projectId = f.bucket === undefined ? undefined : projectOfBucket(f.bucket);
      const rules = this.create(projectId ?? this.defaultProject);
      rules.load(f.source, f.fileName);
      return { projectId, rules };
    });
    for (const { projectId, rules } of compiled) {
      if (projectId === undefined) this.fallback = rules;
      else this.byProject.set(projectId, rules);
    }
  }

  /** Whether requests to a project's buckets are judged by some rules (its own or the fallback). */
  loaded(projectId = this.defaultProject): boolean {
    return this.byProject.has(projectId) || this.fallback !== null;
  }

  /**
   * Judges a request by the rules of its bucket's project; firestore.get()/exists() read that project's documents.
   * @param q - the request as the Storage server sees it
   */
  judge(q: StorageAuthRequest): Decision {
    const project = projectOfBucket(q.bucket);
    const own = this.byProject.get(project);
    if (own) return own.judge(q);
    if (this.fallback) return this.fallback.judge(q, project);
    return { allowed: false, reason: `no storage.rules loaded for project ${project}` };
  }
}
