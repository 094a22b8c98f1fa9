/**
 * The object store behind the Storage emulator: buckets of objects, each a blob of bytes plus its metadata.
 *
 * With a data folder, blobs live in `<dataDir>/storage/blobs/` and all metadata in one index file that is replaced
 * atomically (temp file, then rename) after the blob it points to is on disk. A crash in between leaves a blob no
 * index entry names, which the next start deletes; never an entry without its bytes. Without a data folder
 * everything stays in memory.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32cBase64, md5Base64 } from './checksums';

/** One object's metadata, as rules see it (`resource`, `request.resource`) and as both APIs serialise it. */
export interface StoredObjectMetadata {
  bucket: string;
  /** Object name, no leading slash. */
  name: string;
  /** Changes on every overwrite: microseconds since the epoch, strictly increasing within a store. */
  generation: number;
  /** 1 for a new generation, +1 on every metadata update. */
  metageneration: number;
  /** Bytes. */
  size: number;
  contentType: string;
  /** Base64 MD5 of the bytes. */
  md5Hash: string;
  /** Base64 big-endian CRC-32C of the bytes. */
  crc32c: string;
  /** RFC 3339 timestamps (UTC, milliseconds). */
  timeCreated: string;
  updated: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** Custom metadata (the web SDK's `customMetadata`), without the download tokens. */
  metadata: Record<string, string>;
  /**
   * Firebase download tokens. GCS carries them as the custom metadata key `firebaseStorageDownloadTokens`
   * (comma separated), the Firebase API as `downloadTokens`; rules do not see them.
   */
  downloadTokens: string[];
}

/**
 * Metadata a client sends with an upload or a patch. On upload an absent field is simply unset; on patch it is
 * kept, and null deletes it. In `metadata`, a patch merges keys (null deletes one) and null clears them all; the key
 * `firebaseStorageDownloadTokens` sets the download tokens (replacing them, as GCS does) instead of a custom key.
 */
export interface ObjectMetadataInput {
  contentType?: string | null;
  contentDisposition?: string | null;
  contentEncoding?: string | null;
  contentLanguage?: string | null;
  cacheControl?: string | null;
  metadata?: Record<string, string | null> | null;
}

export interface ListOptions {
  /** Only names starting with this. */
  prefix?: string;
  /** Roll names up to the first delimiter after the prefix into `prefixes` (the SDK sends "/"). */
  delimiter?: string;
  /** From a previous page's nextPageToken. */
  pageToken?: string;
  /** Entries (items and prefixes together) per page; default 1000. */
  maxResults?: number;
}

export interface ListResult {
  items: StoredObjectMetadata[];
  /** Rolled-up prefixes, each ending with the delimiter. */
  prefixes: string[];
  nextPageToken?: string;
}

export const DOWNLOAD_TOKENS_KEY = 'firebaseStorageDownloadTokens';
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const INDEX = 'index.json';

interface Entry {
  meta: StoredObjectMetadata;
  /** File name under blobs/ (or key of the in-memory blob map). */
  blob: string;
}

interface IndexFile {
  format: 'telesalud-storage/1';
  lastGeneration: number;
  objects: Entry[];
}

const OPTIONAL_FIELDS = ['contentDisposition', 'contentEncoding', 'contentLanguage', 'cacheControl'] as const;

function splitTokens(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** Object store: in memory, or persisted under `<dataDir>/storage/` when a data folder is given. */
export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, Entry>>();
  private readonly memoryBlobs = new Map<string, Buffer>();
  private readonly dir: string | undefined;
  private lastGeneration = 0;

  /**
   * Opens a store, loading what a previous run left in the data folder.
   * @param dataDir - the stack's data folder (objects go to its `storage/` subfolder); omit to keep everything in memory
   */
  constructor(dataDir?: string) {
    this.dir = dataDir ? path.join(dataDir, 'storage') : undefined;
    if (this.dir) this.load(this.dir);
  }

  /** Where objects are kept on disk, or undefined in memory. */
  get directory(): string | undefined {
    return this.dir;
  }

  /** Names of the buckets that hold at least one object. */
  bucketNames(): string[] {
    return [...this.buckets.entries()].filter(([, m]) => m.size > 0).map(([b]) => b);
  }

  /** Number of objects in every bucket. */
  size(): number {
    let n = 0;
    for (const m of this.buckets.values()) n += m.size;
    return n;
  }

  /** An object's metadata, or null when it does not exist. */
  get(bucket: string, name: string): StoredObjectMetadata | null {
    return this.buckets.get(bucket)?.get(name)?.meta ?? null;
  }

  /** An object's metadata and bytes, read together so a concurrent overwrite cannot mix them. */
  read(bucket: string, name: string): { meta: StoredObjectMetadata; bytes: Buffer } | null {
    const entry = this.buckets.get(bucket)?.get(name);
    if (!entry) return null;
    return { meta: entry.meta, bytes: this.readBlob(entry.blob) };
  }

  /**
   * The metadata an upload would produce, without storing anything (for rules' `request.resource`).
   * @param bucket - bucket name
   * @param name - object name
   * @param bytes - the object's new content
   * @param input - metadata sent with the upload
   */
  preview(bucket: string, name: string, bytes: Uint8Array, input: ObjectMetadataInput): StoredObjectMetadata {
    return this.compose(bucket, name, bytes, input, this.lastGeneration + 1, new Date().toISOString());
  }

  /**
   * The metadata an upload of `size` bytes would produce, before its bytes are known (a resumable upload's start):
   * md5Hash and crc32c are empty.
   * @param bucket - bucket name
   * @param name - object name
   * @param size - the size the client declared
   * @param input - metadata sent with the upload
   */
  previewDeclared(bucket: string, name: string, size: number, input: ObjectMetadataInput): StoredObjectMetadata {
    const meta = this.compose(
      bucket,
      name,
      new Uint8Array(0),
      input,
      this.lastGeneration + 1,
      new Date().toISOString(),
    );
    return { ...meta, size, md5Hash: '', crc32c: '' };
  }

  /**
   * Stores a new generation of an object, replacing the previous one with all of its metadata.
   * @returns the stored metadata and the previous generation's, if any
   */
  put(
    bucket: string,
    name: string,
    bytes: Uint8Array,
    input: ObjectMetadataInput,
  ): { meta: StoredObjectMetadata; previous: StoredObjectMetadata | null } {
    const meta = this.compose(bucket, name, bytes, input, this.nextGeneration(), new Date().toISOString());
    const blob = randomUUID();
    this.writeBlob(blob, bytes);
    const objects = this.bucketMap(bucket);
    const previous = objects.get(name) ?? null;
    objects.set(name, { meta, blob });
    this.saveIndex();
    if (previous) this.deleteBlob(previous.blob);
    return { meta, previous: previous?.meta ?? null };
  }

  /**
   * The metadata a patch would produce, without storing it.
   * @param existing - the object's current metadata
   * @param patch - fields to change (null deletes)
   */
  previewPatch(existing: StoredObjectMetadata, patch: ObjectMetadataInput): StoredObjectMetadata {
    return applyPatch(existing, patch, new Date().toISOString());
  }

  /**
   * Patches an object's metadata (bytes and generation unchanged, metageneration + 1).
   * @returns the new metadata, or null when the object does not exist
   */
  patch(bucket: string, name: string, patch: ObjectMetadataInput): StoredObjectMetadata | null {
    const entry = this.buckets.get(bucket)?.get(name);
    if (!entry) return null;
    entry.meta = applyPatch(entry.meta, patch, new Date().toISOString());
    this.saveIndex();
    return entry.meta;
  }

  /**
   * Adds a download token to an object that has none, without counting it as a metadata update (the Firebase API
   * creates one lazily for objects uploaded through GCS, so getDownloadURL works on them).
   * @returns the metadata, with a token
   */
  ensureDownloadToken(bucket: string, name: string): StoredObjectMetadata | null {
    const entry = this.buckets.get(bucket)?.get(name);
    if (!entry) return null;
    if (entry.meta.downloadTokens.length > 0) return entry.meta;
    entry.meta = { ...entry.meta, downloadTokens: [randomUUID()] };
    this.saveIndex();
    return entry.meta;
  }

  /**
   * Deletes an object.
   * @returns its last metadata, or null when it did not exist
   */
  delete(bucket: string, name: string): StoredObjectMetadata | null {
    const objects = this.buckets.get(bucket);
    const entry = objects?.get(name);
    if (!objects || !entry) return null;
    objects.delete(name);
    this.saveIndex();
    this.deleteBlob(entry.blob);
    return entry.meta;
  }

  /**
   * Lists a bucket in name order, GCS style: with a delimiter, names with another delimiter after the prefix roll up
   * into one prefix entry. Pages count items and prefixes together, in one sorted sequence.
   */
  list(bucket: string, opts: ListOptions = {}): ListResult {
    const prefix = opts.prefix ?? '';
    const delimiter = opts.delimiter ?? '';
    const max = opts.maxResults && opts.maxResults > 0 ? opts.maxResults : 1000;
    // The token is the last entry of the previous page; continuing "after it" stays right even if objects come and go.
    const after = opts.pageToken ? Buffer.from(opts.pageToken, 'base64url').toString('utf8') : undefined;
    const objects = this.buckets.get(bucket);
    const names = [...(objects?.keys() ?? [])].filter((n) => n.startsWith(prefix)).sort(compareNames);
    const entries: { key: string; meta: StoredObjectMetadata | null }[] = [];
    for (const n of names) {
      const cut = delimiter ? n.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        // Names under one prefix sort next to each other, so comparing with the last entry is enough to dedupe.
        const p = n.slice(0, cut + delimiter.length);
        if (entries.at(-1)?.key !== p) entries.push({ key: p, meta: null });
      } else {
        const meta = objects?.get(n)?.meta;
        if (meta) entries.push({ key: n, meta });
      }
    }
    const rest = after === undefined ? entries : entries.filter((e) => compareNames(e.key, after) > 0);
    const page = rest.slice(0, max);
    const last = page.at(-1);
    const result: ListResult = { items: [], prefixes: [] };
    for (const e of page) {
      if (e.meta) result.items.push(e.meta);
      else result.prefixes.push(e.key);
    }
    if (rest.length > max && last) result.nextPageToken = Buffer.from(last.key, 'utf8').toString('base64url');
    return result;
  }

  /**
   * Deletes every object of the buckets `which` selects (no triggers: this is the emulator's reset, not a delete).
   * @param which - given a bucket name, whether to empty it
   * @returns the buckets emptied and how many objects they held
   */
  clearBuckets(which: (bucket: string) => boolean): { buckets: string[]; objects: number } {
    const buckets = this.bucketNames().filter(which);
    const blobs = buckets.flatMap((b) => [...(this.buckets.get(b)?.values() ?? [])].map((e) => e.blob));
    for (const b of buckets) this.buckets.delete(b);
    if (buckets.length) this.saveIndex();
    for (const b of blobs) this.deleteBlob(b);
    return { buckets, objects: blobs.length };
  }

  private compose(
    bucket: string,
    name: string,
    bytes: Uint8Array,
    input: ObjectMetadataInput,
    generation: number,
    now: string,
  ): StoredObjectMetadata {
    const base: StoredObjectMetadata = {
      bucket,
      name,
      generation,
      metageneration: 1,
      size: bytes.byteLength,
      contentType: DEFAULT_CONTENT_TYPE,
      md5Hash: md5Base64(bytes),
      crc32c: crc32cBase64(bytes),
      timeCreated: now,
      updated: now,
      metadata: {},
      downloadTokens: [],
    };
    // A new generation starts from nothing: the patch rules applied to an empty object are exactly upload rules.
    const meta = applyPatch(base, input, now);
    return { ...meta, metageneration: 1 };
  }

  private nextGeneration(): number {
    this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
    return this.lastGeneration;
  }

  private bucketMap(bucket: string): Map<string, Entry> {
    let m = this.buckets.get(bucket);
    if (!m) {
      m = new Map();
      this.buckets.set(bucket, m);
    }
    return m;
  }

  private blobPath(blob: string): string {
    return path.join(this.dir ?? '', 'blobs', blob);
  }

  private readBlob(blob: string): Buffer {
    if (!this.dir) return this.memoryBlobs.get(blob) ?? Buffer.alloc(0);
    return readFileSync(this.blobPath(blob));
  }

  private writeBlob(blob: string, bytes: Uint8Array): void {
    if (!this.dir) {
      this.memoryBlobs.set(blob, Buffer.from(bytes));
      return;
    }
    const file = this.blobPath(blob);
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
  }

  private deleteBlob(blob: string): void {
    if (!this.dir) {
      this.memoryBlobs.delete(blob);
      return;
    }
    rmSync(this.blobPath(blob), { force: true });
  }

  private saveIndex(): void {
    if (!this.dir) return;
    const body: IndexFile = {
      format: 'telesalud-storage/1',
      lastGeneration: this.lastGeneration,
      objects: [...this.buckets.values()].flatMap((m) => [...m.values()]),
    };
    const file = path.join(this.dir, INDEX);
    writeFileSync(`${file}.tmp`, JSON.stringify(body));
    renameSync(`${file}.tmp`, file);
  }

  private load(dir: string): void {
    mkdirSync(path.join(dir, 'blobs'), { recursive: true });
    const file = path.join(dir, INDEX);
    const referenced = new Set<string>();
    if (existsSync(file)) {
      const index = JSON.parse(readFileSync(file, 'utf8')) as IndexFile;
      if (index.format !== 'telesalud-storage/1') throw new Error(`${file}: unknown format ${String(index.format)}`);
      this.lastGeneration = index.lastGeneration;
      for (const e of index.objects) {
        this.bucketMap(e.meta.bucket).set(e.meta.name, e);
        referenced.add(e.blob);
      }
    }
    // Blobs no entry names were written by a run that stopped before its index was saved, or are temp files.
    for (const f of readdirSync(path.join(dir, 'blobs'))) {
      if (!referenced.has(f)) rmSync(path.join(dir, 'blobs', f), { force: true });
    }
  }
}

/** GCS orders names by their UTF-8 bytes; for the names apps use that equals code-unit order. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Applies a metadata patch: absent fields stay, null deletes, custom metadata merges key by key.
 * @param existing - metadata before
 * @param patch - the change
 * @param now - the update time
 */
function applyPatch(existing: StoredObjectMetadata, patch: ObjectMetadataInput, now: string): StoredObjectMetadata {
  const { contentDisposition: _d, contentEncoding: _e, contentLanguage: _l, cacheControl: _c, ...rest } = existing;
  const optional: Partial<Record<(typeof OPTIONAL_FIELDS)[number], string>> = {};
  for (const field of OPTIONAL_FIELDS) {
    const v = patch[field] === undefined ? existing[field] : patch[field];
    if (typeof v === 'string') optional[field] = v;
  }
  const custom = new Map(patch.metadata === null ? [] : Object.entries(existing.metadata));
  let downloadTokens = [...existing.downloadTokens];
  for (const [k, v] of Object.entries(patch.metadata ?? {})) {
    if (k === DOWNLOAD_TOKENS_KEY) downloadTokens = v === null ? [] : splitTokens(v);
    else if (v === null) custom.delete(k);
    else custom.set(k, v);
  }
  return {
    ...rest,
    ...optional,
    contentType: patch.contentType === undefined ? existing.contentType : (patch.contentType ?? DEFAULT_CONTENT_TYPE),
    metadata: Object.fromEntries(custom),
    downloadTokens,
    metageneration: existing.metageneration + 1,
    updated: now,
  };
}
