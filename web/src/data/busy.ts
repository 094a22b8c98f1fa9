/**
 * specialists/{uid}/busy/{day}: the public projection of a specialist's taken time, one document per UTC day
 * (written by the booking callables). Open profile pages listen to the days they show, so a slot booked by someone
 * else disappears at once.
 */
import { doc, onSnapshot } from 'firebase/firestore';
import { parseDocument } from '@telesalud/domain';
import { firebase } from '../plugins/firebase';
import { readOnlyConverter } from './read-only';
import { busyDaySchema, paths } from '@telesalud/domain';

/** A taken span as plain instants. */
export interface BusySpan {
  start: Date;
  end: Date;
}

const converter = readOnlyConverter('The busy projection is server-written', (snap): BusySpan[] =>
  parseDocument(busyDaySchema, snap).intervals.map((i) => ({ start: i.start.toDate(), end: i.end.toDate() })),
);

/**
 * Follows one busy day; a missing document is a day with nothing booked.
 * @param uid - the specialist
 * @param day - UTC date 'YYYY-MM-DD' (busyDayId)
 */
export function watchBusyDay(uid: string, day: string, next: (spans: BusySpan[]) => void, error: (e: Error) => void): () => void {
  return onSnapshot(doc(firebase().db, paths.busyDay(uid, day)).withConverter(converter), (s) => next(s.exists() ? s.data() : []), error);
}
