// Placeholder: the lead replaces this with the real handler.
export const handler = (): Promise<void> => Promise.resolve();
