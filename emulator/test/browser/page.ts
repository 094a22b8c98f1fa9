// The browser side of the web-SDK parity tests: the unmodified SDK, exposed to page.evaluate.
import * as app from 'firebase/app';
import * as firestore from 'firebase/firestore';

declare global {
  interface Window {
    sdk: { app: typeof app; firestore: typeof firestore };
    ready: boolean;
  }
}

window.sdk = { app, firestore };
window.ready = true;
