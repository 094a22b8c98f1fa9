/**
 * Recomputes every specialist's search listings with the trigger's own sync (functions/src/search). The triggers keep
 * listings current from then on; this fills them in for data written before they existed (a .data/ folder from an
 * older checkout, or a project the triggers are deployed to for the first time). Idempotent: an unchanged listing is
 * not rewritten.
 *   npm run backfill:search   (uses FIRESTORE_EMULATOR_HOST / GCLOUD_PROJECT; without the emulator host, the project)
 */
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { paths } from '../domain/src';
import { syncSearchListings, type ListingSync } from '../functions/src/search/sync-search-listings';

/**
 * Syncs the listings of every profile, a few at a time.
 * @param projectId - the project (the emulator's, locally)
 * @returns the totals over all specialists
 */
export async function backfillSearchListings(projectId: string): Promise<ListingSync & { specialists: number }> {
  const app = initializeApp({ projectId }, `backfill-${Date.now()}`);
  try {
    const db = getFirestore(app);
    const refs = await db.collection(paths.specialists()).listDocuments();
    const total = { specialists: refs.length, written: 0, deleted: 0, unchanged: 0 };
    for (let i = 0; i < refs.length; i += 8) {
      const done = await Promise.all(refs.slice(i, i + 8).map((r) => syncSearchListings(db, r.id)));
      for (const d of done) {
        total.written += d.written;
        total.deleted += d.deleted;
        total.unchanged += d.unchanged;
      }
    }
    return total;
  } finally {
    await deleteApp(app);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  backfillSearchListings(process.env.GCLOUD_PROJECT ?? 'demo-telesalud').then(
    (t) => console.log('search listings', t),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
