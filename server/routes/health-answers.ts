/** The health routes' answers (`health.ts`), as schemas the OpenAPI document is generated from. */
import { z } from 'zod';

/** `GET /healthz`. */
export const LivenessAnswerSchema = z.strictObject({ status: z.literal('ok') });
export type LivenessAnswer = z.infer<typeof LivenessAnswerSchema>;

/** `GET /readyz` 200: the engine, and whether this collector folds the analytics and how far behind they are. */
export const ReadinessAnswerSchema = z.strictObject({
  status: z.literal('ready'),
  engine: z.enum(['sqlite', 'postgres']),
  analytics: z.strictObject({
    /** This collector's worker holds the lease and folds the analytics. */
    leader: z.boolean(),
    /** Stored batches not folded in yet. */
    backlog: z.number().int().min(0),
  }),
});
export type ReadinessAnswer = z.infer<typeof ReadinessAnswerSchema>;

/** `GET /readyz` 503. */
export const UnreadyAnswerSchema = z.strictObject({ status: z.literal('unavailable'), reason: z.enum(['stopping', 'storage unreachable']) });
export type UnreadyAnswer = z.infer<typeof UnreadyAnswerSchema>;
