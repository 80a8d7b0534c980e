import { z } from 'zod';
import { codeSchema, text } from './registry-formats';

/** 检测点 (detection point): where a station stands, as the bureau publishes it. */
export const createStationSchema = z.strictObject({
  code: codeSchema,
  name: text(100),
  /** Road number, e.g. S308. */
  road: text(32),
  /** 桩号, e.g. K12+300. */
  stake: text(32),
  /** Direction of travel covered, e.g. 往长沙方向. */
  direction: text(64),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type CreateStationInput = z.infer<typeof createStationSchema>;

export const stationViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  road: z.string().nullable(),
  stake: z.string().nullable(),
  direction: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  active: z.boolean(),
  createdAt: z.string().datetime(),
});
export type StationView = z.infer<typeof stationViewSchema>;

/** What is known of a station's signing secrets: never the secret itself. */
export const stationCredentialViewSchema = z.object({
  keyId: z.string(),
  algorithm: z.string(),
  activeFrom: z.string().datetime(),
  retiredAt: z.string().datetime().nullable(),
});

export const stationDetailViewSchema = stationViewSchema.extend({
  credentials: z.array(stationCredentialViewSchema),
});
export type StationDetailView = z.infer<typeof stationDetailViewSchema>;

/** The one response that carries the station's signing secret: it is shown once, never again. */
export const createdStationViewSchema = stationViewSchema.extend({
  secret: z
    .string()
    .describe('the signing secret (base64url of 32 random bytes): shown only in this response'),
  keyId: z.string(),
});
export type CreatedStationView = z.infer<typeof createdStationViewSchema>;

export const secretRotationViewSchema = z.object({
  secret: z.string().describe('the new signing secret: shown only in this response'),
  keyId: z.string(),
  activeFrom: z.string().datetime(),
  previousRetiresAt: z
    .string()
    .datetime()
    .nullable()
    .describe('until then the previous secret stays valid (the overlap); null when there was none'),
});
export type SecretRotationView = z.infer<typeof secretRotationViewSchema>;
