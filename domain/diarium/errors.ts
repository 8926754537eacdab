export class DiariumConflictError extends Error {
  override name = 'DiariumConflictError';
}
export class HandlingNotFoundError extends Error {
  override name = 'HandlingNotFoundError';
}
export class StorageError extends Error {
  override name = 'StorageError';
}
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
}
