/** Scheduling rules: zones, slots, conflicts and locks, cancellation, pricing, reminders. Pure and SDK-free. */
export * from './time-zones';
export * from './conflicts';
export * from './slots';
export * from './cancellation';
export * from './pricing';
export * from './reminders';
export * from './booking-policy';
