export class DiariumConflictError extends Error {
  override name = 'DiariumConflictError';
}
export class HandlingNotFoundError extends Error {
  override name = 'HandlingNotFoundError';
}
export class StorageError extends Error {
  override name = 'StorageError';
}
/** The object (or the asked version of it) is not in the store. */
export class ObjectNotFoundError extends StorageError {
  override name = 'ObjectNotFoundError';
}
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
}
/** A kansli action that the handling's state does not allow (already voided, not waiting for release …). */
export class DiariumRegelError extends Error {
  override name = 'DiariumRegelError';
}

/** A kansli notice is being sent by another invocation, or one that died recently: try again later. */
export class NotisPendingError extends Error {
  override name = 'NotisPendingError';
}

/** The kvittens is being sent by another invocation, or one that died recently: try again later. */
export class KvittensPendingError extends Error {
  override name = 'KvittensPendingError';
}

/** An insats changed (or was added) by someone else since the form was read: nothing was written. */
export class InsatsKonfliktError extends Error {
  override name = 'InsatsKonfliktError';
}
