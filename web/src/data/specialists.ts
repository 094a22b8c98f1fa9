/**
 * specialists/{uid} (public profiles) and their public subcollections: offices, reviews, exceptions. The only place
 * the app reads them. Search does not list profiles: it reads searchListings (data/search-listings.ts).
 */
import {
  collection,
  doc,
  getDoc,
  onSnapshot,
  query,
  where,
  type QueryDocumentSnapshot,
} from 'firebase/firestore';
import {
  availabilityExceptionSchema,
  officeSchema,
  parseDocument,
  paths,
  reviewSchema,
  specialistSchema,
  type AvailabilityException,
  type Office,
  type Specialist,
} from '@telesalud/domain';
import { firebase } from '../plugins/firebase';
import { readOnlyConverter } from './read-only';

/** A public profile with its uid. */
export interface SpecialistProfile extends Specialist {
  uid: string;
}
/** An office with its id and its specialist. */
export interface OfficeView extends Office {
  id: string;
  specialistUid: string;
}
/** A review as the app shows it: createdAt is a Date. */
export interface ReviewView {
  id: string;
  rating: number;
  comment: string;
  authorInitials: string;
  createdAt?: Date;
}
export type ExceptionView = AvailabilityException & { id: string };

// Nothing is written from the app: these collections are server-owned (exceptions belong to the calendar slice).
const readOnly = <T>(read: (snap: QueryDocumentSnapshot) => T) => readOnlyConverter('Read-only collection', read);

const specialistConverter = readOnly<SpecialistProfile>((snap) => ({ ...parseDocument(specialistSchema, snap), uid: snap.id }));
const officeConverter = readOnly<OfficeView>((snap) => ({
  ...parseDocument(officeSchema, snap),
  id: snap.id,
  specialistUid: snap.ref.parent.parent?.id ?? '',
}));
const reviewConverter = readOnly<ReviewView>((snap) => {
  const r = parseDocument(reviewSchema, snap);
  return {
    id: snap.id,
    rating: r.rating,
    comment: r.comment,
    authorInitials: r.authorInitials,
    ...(r.createdAt ? { createdAt: r.createdAt.toDate() } : {}),
  };
});
const exceptionConverter = readOnly<ExceptionView>((snap) => ({ ...parseDocument(availabilityExceptionSchema, snap), id: snap.id }));

/** One public profile read once (names in lists); null when missing or not public. */
export async function getSpecialist(uid: string): Promise<SpecialistProfile | null> {
  const snap = await getDoc(doc(firebase().db, paths.specialist(uid)).withConverter(specialistConverter));
  return snap.exists() ? snap.data() : null;
}

type Unsubscribe = () => void;

/** Follows one public profile; null when it does not exist (or is not readable, which rules treat alike). */
export function watchSpecialist(uid: string, next: (p: SpecialistProfile | null) => void, error: (e: Error) => void): Unsubscribe {
  return onSnapshot(doc(firebase().db, paths.specialist(uid)).withConverter(specialistConverter), (s) => next(s.exists() ? s.data() : null), error);
}

/** Follows the offices of a specialist. */
export function watchOffices(uid: string, next: (o: OfficeView[]) => void, error: (e: Error) => void): Unsubscribe {
  return onSnapshot(collection(firebase().db, paths.offices(uid)).withConverter(officeConverter), (s) => next(s.docs.map((d) => d.data())), error);
}

/** Follows the public reviews of a specialist. */
export function watchReviews(uid: string, next: (r: ReviewView[]) => void, error: (e: Error) => void): Unsubscribe {
  return onSnapshot(collection(firebase().db, paths.reviews(uid)).withConverter(reviewConverter), (s) => next(s.docs.map((d) => d.data())), error);
}

/**
 * Follows the exceptions of a specialist from a date on (the id starts with the date, so `date >=` is enough).
 * @param fromDate - 'YYYY-MM-DD'
 */
export function watchExceptions(uid: string, fromDate: string, next: (e: ExceptionView[]) => void, error: (e: Error) => void): Unsubscribe {
  const q = query(collection(firebase().db, paths.exceptions(uid)).withConverter(exceptionConverter), where('date', '>=', fromDate));
  return onSnapshot(q, (s) => next(s.docs.map((d) => d.data())), error);
}
