/**
 * specialists/{uid} (public profiles) and their public subcollections: offices, reviews, exceptions. The only place
 * the app reads them. Every list query of profiles filters `status == 'approved'`, as the rules require.
 */
import {
  collection,
  doc,
  getDoc,
  getDocs,
  onSnapshot,
  query,
  where,
  type DocumentData,
  type FirestoreDataConverter,
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
  type SpecialtyCode,
} from '@telesalud/domain';
import { firebase } from '../plugins/firebase';

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

/** Nothing is written from the app: these collections are server-owned (exceptions belong to the calendar slice). */
function readOnly<T>(read: (snap: QueryDocumentSnapshot) => T): FirestoreDataConverter<T, DocumentData> {
  return {
    toFirestore: () => {
      throw new Error('Read-only collection');
    },
    fromFirestore: read,
  };
}

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

/**
 * Approved profiles, optionally of one specialty (`array-contains`; the other filters are applied by the caller).
 * @param specialty - a SPECIALTY code, or undefined for all
 */
export async function listApprovedSpecialists(specialty?: SpecialtyCode): Promise<SpecialistProfile[]> {
  const base = collection(firebase().db, paths.specialists()).withConverter(specialistConverter);
  const filters = [where('status', '==', 'approved'), ...(specialty ? [where('specialties', 'array-contains', specialty)] : [])];
  const snap = await getDocs(query(base, ...filters));
  return snap.docs.map((d) => d.data());
}

/**
 * The offices of one approved specialist. Read per specialist: a collection-group query on `offices` is refused by
 * the rules, which only match `specialists/{uid}/offices` and need the parent profile's status.
 * @param uid - the specialist
 */
export async function listOffices(uid: string): Promise<OfficeView[]> {
  const snap = await getDocs(collection(firebase().db, paths.offices(uid)).withConverter(officeConverter));
  return snap.docs.map((d) => d.data());
}

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
