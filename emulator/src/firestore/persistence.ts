/**
 * Durable storage for the engine: a snapshot file plus an append-only log of commits since the snapshot.
 * Each commit is appended synchronously before it is applied and before anyone hears of it, so a crash loses nothing
 * acknowledged, and a commit the log refused never happened;
 * the log is folded into a new snapshot (written to a temp file, then renamed) at close and when it grows.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommitEvent, Document } from './types';

const SNAPSHOT = 'firestore-snapshot.json';
const LOG = 'firestore-log.jsonl';
const COMPACT_AT_BYTES = 32 * 1024 * 1024;

/** JSON cannot hold NaN or ±Infinity: doubles are written as strings when not finite. */
function replacer(key: string, value: unknown): unknown {
  if (key === 'doubleValue' && typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function reviver(key: string, value: unknown): unknown {
  if (key === 'doubleValue' && typeof value === 'string') return Number(value);
  return value;
}

export function encodeJson(v: unknown): string {
  return JSON.stringify(v, replacer);
}

export function decodeJson<T>(s: string): T {
  return JSON.parse(s, reviver) as T;
}

interface SnapshotFile {
  format: 'telesalud-firestore/1';
  lastMicros: string;
  documents: Document[];
}

interface LogLine {
  v: string;
  changes: { name: string; after: Document | null }[];
}

export class Persistence {
  private readonly snapshotPath: string;
  private readonly logPath: string;
  private logBytes = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.snapshotPath = path.join(dir, SNAPSHOT);
    this.logPath = path.join(dir, LOG);
  }

  /** Reads the snapshot and replays the log. A torn last log line (crash mid-write) is ignored. */
  load(): { documents: Document[]; lastMicros: bigint } {
    const docs = new Map<string, Document>();
    let lastMicros = 0n;
    if (existsSync(this.snapshotPath)) {
      const snap = decodeJson<SnapshotFile>(readFileSync(this.snapshotPath, 'utf8'));
      for (const d of snap.documents) docs.set(d.name, d);
      lastMicros = BigInt(snap.lastMicros);
    }
    if (existsSync(this.logPath)) {
      const text = readFileSync(this.logPath, 'utf8');
      let good = 0;
      for (const line of text.split('\n')) {
        if (line.trim()) {
          let entry: LogLine;
          try {
            entry = decodeJson<LogLine>(line);
          } catch {
            // A torn tail (crash mid-append): cut it off so later appends start on a clean line.
            truncateSync(this.logPath, Buffer.byteLength(text.slice(0, good)));
            break;
          }
          for (const c of entry.changes) {
            if (c.after) docs.set(c.name, c.after);
            else docs.delete(c.name);
          }
          if (BigInt(entry.v) > lastMicros) lastMicros = BigInt(entry.v);
        }
        good += line.length + 1;
      }
      this.logBytes = statSync(this.logPath).size;
    }
    return { documents: [...docs.values()], lastMicros };
  }

  /**
   * Appends one commit to the log, synchronously.
   * @throws the file system's error when the line could not be written whole; the log is cut back to where it was,
   *   since a torn line in the middle would hide every later commit from load()
   */
  append(e: CommitEvent): void {
    const line = `${encodeJson({ v: String(e.version), changes: e.changes.map((c) => ({ name: c.name, after: c.after })) })}\n`;
    try {
      appendFileSync(this.logPath, line);
    } catch (err) {
      const now = statSync(this.logPath, { throwIfNoEntry: false });
      if (now?.isFile() && now.size > this.logBytes) truncateSync(this.logPath, this.logBytes);
      throw err;
    }
    this.logBytes += Buffer.byteLength(line);
    if (this.logBytes > COMPACT_AT_BYTES) this.pendingCompaction = true;
  }

  /** Set when the log has grown enough that the owner should compact at the next quiet moment. */
  pendingCompaction = false;

  /** Writes a fresh snapshot atomically and empties the log. */
  compact(documents: Iterable<Document>, lastMicros: bigint): void {
    writeSnapshot(this.snapshotPath, documents, lastMicros);
    writeFileSync(this.logPath, '');
    this.logBytes = 0;
    this.pendingCompaction = false;
  }
}

/** Writes a snapshot file (used for compaction and `export`). */
export function writeSnapshot(file: string, documents: Iterable<Document>, lastMicros: bigint): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const body: SnapshotFile = { format: 'telesalud-firestore/1', lastMicros: String(lastMicros), documents: [...documents] };
  writeFileSync(tmp, encodeJson(body));
  renameSync(tmp, file);
}

/** Copies an export (a snapshot file in `from`) into a data folder, replacing what was there. */
export function importSnapshot(fromDir: string, dataDir: string): number {
  const src = path.join(fromDir, SNAPSHOT);
  const snap = decodeJson<SnapshotFile>(readFileSync(src, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  writeSnapshot(path.join(dataDir, SNAPSHOT), snap.documents, BigInt(snap.lastMicros));
  writeFileSync(path.join(dataDir, LOG), '');
  return snap.documents.length;
}

export const SNAPSHOT_FILE = SNAPSHOT;
