import { Controller, Get, Inject, Optional, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import {
  DomainError,
  EVIDENCE_MEDIA_TYPES,
  isEvidenceMediaType,
  notFound,
  STATION_EVIDENCE_KINDS,
  validationError,
  type StationEvidenceKind,
} from '@ecc/shared-kernel';
import {
  detectionBodySchema,
  detectionFormSchema,
  detectionReceiptSchema,
  detectionStatusSchema,
  evidenceReceiptSchema,
  mediaTypeOf,
  SIGNATURE_HEADERS,
  stationIdentifierSchema,
  type DetectionBody,
  type DetectionForm,
  type FormPart,
} from '@ecc/intake-domain';
import { DetectionsRepository } from '@ecc/intake-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  Public,
  Roles,
  jsonSchemaOf,
  ZodParam,
  ZodPipe,
  type CommandContext,
  NoPersonalData,
  LongRunning,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { z } from 'zod';
import { ACCEPTED_DETECTION_LISTENER, type AcceptedDetectionListener } from './accepted-detection.port';
import { ReceiveDetectionUseCase } from './receive-detection.use-case';
import { signedRequestOf, SignedJsonGuard, SignedStreamGuard } from './station-signature.guard';
import { DetectionFormBody, InlineEvidenceBody } from './station-body-parsers';
import { UploadEvidenceUseCase } from './upload-evidence.use-case';

/** The route whose raw JSON body is kept for the signature (see station-body-parsers.ts). */
export const DETECTIONS_ROUTE = '/api/v1/detections';

const signatureHeaders = [
  ApiHeader({ name: 'X-Station-Code', required: true, description: 'the station (检测点) code' }),
  ApiHeader({
    name: 'X-Timestamp',
    required: true,
    description: 'signing time, ms since the epoch (±5 min)',
  }),
  ApiHeader({
    name: 'X-Signature',
    required: true,
    description:
      'lower-case hex HMAC-SHA256(station secret, message); version 2: message = `ECC-HMAC-SHA256-V2\\n${METHOD}\\n${path}\\n${media type}\\n${X-Timestamp}\\n` + body; version 1: `${X-Timestamp}.${raw body}`',
  }),
  ApiHeader({
    name: 'X-Signature-Version',
    required: false,
    description: '2 (required for evidence uploads); absent or 1: version 1, for POST /detections only',
  }),
];
const SignatureHeaders = (): MethodDecorator => (target, key, descriptor) => {
  for (const d of signatureHeaders) d(target, key, descriptor);
};

/** The form's parts as documented: the JSON part and one binary part per evidence kind. */
const DETECTION_FORM_SCHEMA = {
  title: 'multipart/form-data',
  type: 'object',
  required: ['detection'],
  properties: {
    detection: {
      ...jsonSchemaOf(detectionFormSchema),
      description: 'the detection, evidence items without data',
    },
    ...Object.fromEntries(
      STATION_EVIDENCE_KINDS.map((kind) => [
        kind,
        { type: 'string', format: 'binary', description: `the bytes of the ${kind} evidence item` },
      ]),
    ),
  },
};

/** The validated detection of a JSON body, or of a form with its parts. */
function detectionOf(payload: unknown): {
  body: DetectionBody | DetectionForm;
  parts?: readonly FormPart[];
  form?: DetectionFormBody | InlineEvidenceBody;
} {
  if (payload instanceof InlineEvidenceBody) {
    // Validated as the JSON it is (each `data` a placeholder: the parser checked the real one as the schema would),
    // then received as a form is — each evidence item with the bytes the parser decoded as its part.
    const body = new ZodPipe(detectionBodySchema, 'body').transform(payload.fields);
    return {
      body: { ...body, evidence: body.evidence.map(({ data: _placeholder, ...item }) => item) },
      parts: body.evidence.map((item, i) => ({
        name: item.kind,
        contentType: null,
        data: payload.evidence[i]!,
      })),
      form: payload,
    };
  }
  if (!(payload instanceof DetectionFormBody))
    return { body: new ZodPipe(detectionBodySchema, 'body').transform(payload) };
  const json = payload.parts.find((p) => p.name === 'detection');
  let detection: unknown;
  try {
    detection = json ? JSON.parse(json.data.toString('utf8')) : undefined;
  } catch {
    throw validationError('the detection part is not JSON', [
      { path: 'body.detection', message: 'not valid JSON' },
    ]);
  }
  if (detection === undefined)
    throw validationError('a detection form has a part named detection', [
      { path: 'body.detection', message: 'missing' },
    ]);
  return {
    body: new ZodPipe(detectionFormSchema, 'body.detection').transform(detection),
    parts: payload.parts,
    form: payload,
  };
}

const headerOf = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

@ApiTags('detections')
@Controller('detections')
export class DetectionsController {
  constructor(
    private readonly receive: ReceiveDetectionUseCase,
    private readonly upload: UploadEvidenceUseCase,
    private readonly detections: DetectionsRepository,
    // 电子围栏: absent when the fences module is not part of the app
    @Optional()
    @Inject(ACCEPTED_DETECTION_LISTENER)
    private readonly interception?: AcceptedDetectionListener,
  ) {}

  @Post()
  @ApiProblems({
    401: '`signature_headers_missing`, `timestamp_out_of_window`, `invalid_signature` (station HMAC)',
    409: '`detection_conflict`: the same detection id with a different body',
    429: '`rate_limited`: the station sends faster than its limit',
  })
  @Public()
  @UseGuards(SignedJsonGuard)
  @SignatureHeaders()
  @ApiOperation({
    summary: 'A station pushes a detection (signed); 202 when durable, 200 for an identical repeat',
    description:
      'As `application/json` (photos inline, base64) or as `multipart/form-data`: a part `detection` with the same JSON, its evidence items without `data`, and one binary part per item named by its kind. The signature covers the raw body either way.',
  })
  // One schema per media type is not expressible here: both types list both alternatives, JSON's first.
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { oneOf: [jsonSchemaOf(detectionBodySchema), DETECTION_FORM_SCHEMA] } })
  @ApiZodResponse(202, detectionReceiptSchema, 'accepted: stored in Postgres, queued for screening')
  @ApiZodResponse(200, detectionReceiptSchema, 'duplicate: the same detection was received before')
  async create(
    // Read from the request, not by @Body(): the two media types are documented by the @ApiBody above.
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Ctx() ctx: CommandContext,
  ) {
    const { body, parts, form } = detectionOf(request.body);
    const { receipt, created } = await this.receive.execute(body, request.station!, ctx, parts);
    // Handled: the uploads are answered and their bytes sent, so the pool's buffers may hold the next body.
    form?.release();
    // After the commit: a fenced plate raises an interception alert (in-memory check, no DB round trip otherwise).
    if (created)
      this.interception?.afterDetectionAccepted({ detectionId: receipt.receiptId, plate: body.plate.number });
    reply.status(created ? 202 : 200);
    return receipt;
  }

  @Put(':stationCode/:detectionId/evidence/:kind')
  @ApiProblems({
    401: '`signature_headers_missing`, `timestamp_out_of_window`, `invalid_signature` (station HMAC)',
    403: '`station_mismatch`: a station uploads evidence of its own detections only',
    409: '`evidence_conflict`: other bytes were stored for this kind; `evidence_collection_closed`: the lead is filed into a case',
  })
  @LongRunning()
  @Public()
  @UseGuards(SignedStreamGuard)
  @SignatureHeaders()
  @ApiHeader({ name: 'X-Content-SHA256', required: true, description: 'sha256 hex of the body' })
  @ApiOperation({
    summary: 'A station streams large evidence (video) of a detection it sent (signed over the bytes)',
  })
  @ApiConsumes(...EVIDENCE_MEDIA_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodResponse(201, evidenceReceiptSchema, 'stored')
  @ApiZodResponse(200, evidenceReceiptSchema, 'the same bytes were received before for this kind')
  async uploadEvidence(
    @ZodParam('stationCode', z.string().min(1).max(64)) stationCode: string,
    @ZodParam('detectionId', stationIdentifierSchema) detectionId: string,
    @ZodParam('kind', z.enum(STATION_EVIDENCE_KINDS)) kind: StationEvidenceKind,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Ctx() ctx: CommandContext,
  ) {
    const body = request.body;
    const mediaType = mediaTypeOf(headerOf(request, 'content-type'));
    if (!(body instanceof Readable) || !isEvidenceMediaType(mediaType)) {
      if (body instanceof Readable) body.resume();
      throw new DomainError(
        'validation',
        'unsupported_media_type',
        `evidence is sent as one of ${EVIDENCE_MEDIA_TYPES.join(', ')}`,
      );
    }
    const station = request.station!;
    if (station.code !== stationCode) {
      body.resume();
      throw new DomainError(
        'forbidden',
        'station_mismatch',
        'a station uploads evidence of its own detections only',
      );
    }
    const length = headerOf(request, 'content-length');
    const { receipt, created } = await this.upload.execute(
      {
        station,
        detectionId,
        kind,
        contentType: mediaType,
        signed: signedRequestOf(request, { v2Only: true }),
        signature: headerOf(request, SIGNATURE_HEADERS.signature) ?? '',
        declaredSha256: headerOf(request, SIGNATURE_HEADERS.contentSha256),
        declaredLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
        body,
      },
      ctx,
    );
    reply.status(created ? 201 : 200);
    return receipt;
  }

  @Get(':stationCode/:detectionId')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Where a detection stands: accepted or screened, its outcome, reasons and lead' })
  @ApiZodResponse(200, detectionStatusSchema)
  async status(
    @ZodParam('stationCode', z.string().min(1).max(64)) stationCode: string,
    @ZodParam('detectionId', stationIdentifierSchema) detectionId: string,
  ) {
    const view = await this.detections.findStatus(stationCode, detectionId);
    if (!view) throw notFound('detection', `${stationCode}/${detectionId}`);
    return view;
  }
}
