/**
 * The shape of an EventBridge pattern over an event schema's detail: the same field names, nested the same way.
 * A rule built with `satisfies DetailPattern<…>` stops compiling when the schema renames or drops a field it
 * matches on, so the rule and the consumer that parses the event cannot read different fields.
 */
export type DetailPattern<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends Record<string, unknown>
    ? DetailPattern<NonNullable<T[K]>>
    : readonly unknown[];
};
