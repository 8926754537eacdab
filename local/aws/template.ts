import { z } from 'zod';
import type { StageConfig } from '../../infra/config/stages.js';

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
});
export const templateSchema = z.object({ Resources: z.record(z.string(), resourceSchema) });
export type Template = z.infer<typeof templateSchema>;

export type { StageConfig };

/** The synthesized app as the local stack uses it: `raw` keeps the templates whole for the IAM proxies. */
export interface Synthesized {
  stateful: Template;
  service: Template;
  raw: unknown[];
  config: StageConfig;
}
