/** A failed send, classified so the notification service knows whether to try again. */
export class SendError extends Error {
  /**
   * @param code - a short code for the record ("smtp-550", "twilio-21211", "ECONNECTION"), never a provider's text
   * @param permanent - true when the same request would fail again (bad address, refused credentials)
   * @param cause - the provider's error, for the logs of the integration only
   */
  constructor(
    readonly code: string,
    readonly permanent: boolean,
    cause?: unknown,
  ) {
    super(`send failed: ${code}${permanent ? ' (permanent)' : ''}`, { cause });
    this.name = 'SendError';
  }
}
