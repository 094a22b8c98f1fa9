export * from './model/common';
export * from './model/specialties';
export * from './model/user-profile';
export * from './model/clinic';
export * from './model/specialist';
export * from './geo';
export * from './paths';
export * from './storage-paths';
