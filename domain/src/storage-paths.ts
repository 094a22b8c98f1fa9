/** Cloud Storage object paths, built and parsed in one place (storage.rules matches the same shapes). */
import { id } from './model/common';

const SPECIALIST_PHOTO = /^public\/specialists\/([^/]+)\/([^/]+)$/;

export const storagePaths = {
  /** A specialist's public photo: anyone reads; only that specialist writes (storage.rules). */
  specialistPhoto: (uid: string, fileName: string) => `public/specialists/${uid}/${fileName}`,
} as const;

/**
 * The specialist a public photo belongs to, or null when the object is not a specialist photo.
 * @param name - the object name, without a leading slash
 */
export function parseSpecialistPhotoPath(name: string): { uid: string; fileName: string } | null {
  const m = SPECIALIST_PHOTO.exec(name);
  if (!m?.[1] || !m[2] || !id.safeParse(m[1]).success) return null;
  return { uid: m[1], fileName: m[2] };
}
