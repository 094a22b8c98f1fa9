/**
 * firebase-functions' onCall with the payload screen in front of it. The screen must run before firebase-functions
 * decodes the body (its recursive decoder is where a deeply nested payload answered 500), and onCall offers no hook
 * there, so the exported function is a thin wrapper that screens the raw request and then hands it to onCall's own
 * function (CORS, token checks, decoding, the wire format), keeping its deployment metadata.
 */
import {
  onCall as firebaseOnCall,
  type CallableFunction,
  type CallableRequest,
  type Request,
  type Response,
} from 'firebase-functions/v2/https';
import { screenCallableRequest } from './screen-payload';

/**
 * Declares a callable whose raw payload is screened first (see screen-payload.ts); used for every callable.
 * @param handler - usually defineCallable(db, spec), which reports a screened refusal as invalid-argument
 */
export function onCall<T, Return>(
  handler: (request: CallableRequest<T>) => Return,
): CallableFunction<T, Return extends Promise<unknown> ? Return : Promise<Return>> {
  const inner = firebaseOnCall<T, Return>(handler);
  const screened = (req: Request, res: Response): void | Promise<void> => {
    screenCallableRequest(req);
    return inner(req, res);
  };
  return Object.assign(screened, { __endpoint: inner.__endpoint, run: inner.run, stream: inner.stream });
}
