/** A rendered object read as JSON in assertions; its shape is what the CRD schemas and the builders fix. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read deep into rendered JSON
export type Json = Record<string, any>;
