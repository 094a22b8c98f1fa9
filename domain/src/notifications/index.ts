export * from './templates';
export * from './delivery';
