/** The embedded Cloud Storage for Firebase emulator: HTTP server, object store and trigger delivery. */
export {
  startStorageEmulator,
  firebaseResource,
  gcsResource,
  StorageHttpError,
  type RunningStorage,
  type StorageAuthRequest,
  type StorageRequestContext,
  type StorageRulesFile,
  type StorageServerOptions,
} from './server';
export {
  ObjectStore,
  DOWNLOAD_TOKENS_KEY,
  type ListOptions,
  type ListResult,
  type ObjectMetadataInput,
  type StoredObjectMetadata,
} from './store';
export { storageCloudEvent, type StorageCloudEvent, type StorageEventKind } from './triggers';
export { crc32c, crc32cBase64, md5Base64 } from './checksums';
