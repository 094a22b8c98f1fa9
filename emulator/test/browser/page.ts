// The browser side of the web-SDK parity tests: the unmodified SDK, exposed to page.evaluate.
import * as app from 'firebase/app';
import * as firestore from 'firebase/firestore';
import * as lite from 'firebase/firestore/lite';

declare global {
  interface Window {
    sdk: { app: typeof app; firestore: typeof firestore; lite: typeof lite };
    ready: boolean;
  }
}

window.sdk = { app, firestore, lite };
window.ready = true;
