import { randomUUID } from 'node:crypto';
import { call, makeUser, type TestApi } from './test-app';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signedPost,
  type TestStation,
} from './station-client';
import { waitFor } from './wait-for';
import { usccOf } from './identity-numbers';

/**
 * A case built through the real HTTP flow, as an officer team would: the admin sets up staff, a station with an
 * approved and calibrated device (Art. 41) and the vehicle in the registry; the station pushes a signed detection
 * with three photos; the worker screens it into a lead; an officer confirms it, files a case and carries it
 * through filing approval, investigation, pre-penalty notice, waiver, legal review, decision, service and payment
 * (and closing, unless `until: 'executed'`). Needs the API and the worker (startTestStack).
 */
export interface CaseFixture {
  caseId: string;
  leadId: string;
  detectionId: string;
  station: TestStation;
  plate: string;
  /** The photos as sent, by evidence kind. */
  photos: Record<string, Buffer>;
  tokens: Record<'o1' | 'o2' | 'approver' | 'reviewer' | 'auditor', string>;
  userIds: Record<'o1' | 'o2' | 'approver' | 'reviewer' | 'auditor', string>;
  usernames: Record<'o1' | 'o2' | 'approver' | 'reviewer' | 'auditor', string>;
}

export async function buildCase(
  api: TestApi,
  adminToken: string,
  options: {
    prefix: string;
    plate: string;
    until?: 'executed' | 'closed';
    /** inquiries recorded in the investigation (default 1); each writes a new version of the evidence list */
    investigations?: number;
  },
): Promise<CaseFixture> {
  const { prefix, plate } = options;
  const roles = {
    o1: [['officer'], { enforcementCertificateNo: `${prefix}-C-0001` }],
    o2: [['officer'], { enforcementCertificateNo: `${prefix}-C-0002` }],
    approver: [['approver'], {}],
    reviewer: [['legal_reviewer'], { legalQualificationNo: `${prefix}-A-0001` }],
    auditor: [['auditor'], {}],
  } as const;
  const tokens = {} as CaseFixture['tokens'];
  const userIds = {} as CaseFixture['userIds'];
  const usernames = {} as CaseFixture['usernames'];
  for (const [name, [userRoles, extra]] of Object.entries(roles) as [
    keyof typeof roles,
    (typeof roles)[keyof typeof roles],
  ][]) {
    const username = `${prefix.toLowerCase()}.${name}`;
    const user = await makeUser(api, adminToken, username, [...userRoles], { ...extra });
    tokens[name] = user.token;
    userIds[name] = user.id;
    usernames[name] = username;
  }

  const code = `${prefix}-S308-K12`;
  const station: TestStation = await registerStationWithDevice(api, adminToken, code);
  await registerOwnedVehicle(api, adminToken, prefix, plate);

  const { leadId, detectionId, photos } = await screenedLead(api, station, plate, tokens.o1);

  const caseId = await caseOfLead(api, leadId, tokens.o1, [userIds.o1, userIds.o2]);
  const amountYuan = (await call(api, 'GET', `/api/v1/cases/${caseId}`, { token: tokens.o1 })).body
    .proposedPenalty?.amountYuan as number;

  const steps: [string, keyof CaseFixture['tokens'], Record<string, unknown>][] = [
    ['request_filing', 'o1', {}],
    ['approve_filing', 'approver', {}],
    ...Array.from(
      { length: options.investigations ?? 1 },
      (_, i): [string, keyof CaseFixture['tokens'], Record<string, unknown>] => [
        'record_investigation',
        'o1',
        {
          kind: 'inquiry',
          interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
          summary: i === 0 ? '驾驶员承认超限' : `第${i + 1}次询问：驾驶员补充陈述`,
          location: '检测点',
        },
      ],
    ),
    ['issue_pre_penalty_notice', 'o1', {}],
    ['record_waiver', 'o1', { right: 'statement', content: '当事人书面放弃陈述申辩' }],
    // The fine carries the hearing right for a person (Art. 63, a person's threshold of 1,000 yuan): given up
    // in writing too. (Under the superseded single threshold of 10,000 yuan the right was withheld.)
    ['record_waiver', 'o1', { right: 'hearing', content: '当事人书面放弃听证' }],
    ['submit_legal_review', 'o1', {}],
    ['pass_legal_review', 'reviewer', { opinions: '事实清楚，证据充分' }],
    ['approve_decision', 'approver', {}],
    ['record_service', 'o1', { method: 'direct', recipient: '当事人本人' }],
    ['record_payment', 'o1', { amountYuan, receiptNo: `${prefix}-${randomUUID().slice(0, 8)}` }],
    ...((options.until ?? 'closed') === 'closed'
      ? ([['close_case', 'approver', {}]] as [string, keyof CaseFixture['tokens'], Record<string, unknown>][])
      : []),
  ];
  for (const [action, who, body] of steps) {
    const res = await call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, {
      token: tokens[who],
      body,
    });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return {
    caseId,
    leadId,
    detectionId,
    station,
    plate,
    photos,
    tokens,
    userIds,
    usernames,
  };
}

/** The registry entries a filing needs (车主信息): an enterprise and the vehicle with its owner. */
export async function registerOwnedVehicle(
  api: TestApi,
  adminToken: string,
  prefix: string,
  plate: string,
): Promise<void> {
  const licenceNo = `4306${String(Date.now()).slice(-8)}`;
  const enterprises = await call(api, 'POST', '/api/v1/registry/enterprises', {
    token: adminToken,
    body: {
      rows: [
        {
          name: `${prefix}运输有限公司`,
          socialCreditCode: usccOf(licenceNo),
          licenceNo,
          fleetSize: 20,
          contactPhone: '0730-5221234',
        },
      ],
    },
  });
  if (enterprises.status >= 300) throw new Error(`registry: ${JSON.stringify(enterprises.body)}`);
  const vehicles = await call(api, 'POST', '/api/v1/registry/vehicles', {
    token: adminToken,
    rawBody: [
      'plate,plateColour,ownerName,ownerPhone,ownerIdNumber,enterpriseLicenceNo,transportCertificateNo,axleCount',
      `${plate},yellow,赵六,13900139001,430102198506123011,${licenceNo},430600${String(Date.now()).slice(-6)},6`,
    ].join('\n'),
    headers: { 'content-type': 'text/csv' },
  });
  if (vehicles.status >= 300) throw new Error(`registry: ${JSON.stringify(vehicles.body)}`);
}

/**
 * A detection of `plate` pushed by the station (signed, three photos) and screened by the worker into a lead:
 * what an officer then reviews.
 */
export async function screenedLead(
  api: TestApi,
  station: TestStation,
  plate: string,
  token: string,
): Promise<{ leadId: string; detectionId: string; photos: Record<string, Buffer> }> {
  const photos: Record<string, Buffer> = {};
  for (const kind of ['plate_front', 'plate_rear', 'side']) {
    photos[kind] = Buffer.from(`JPEG ${kind} of ${plate} ${randomUUID()}`);
  }
  const detection = detectionBody({
    plate: { number: plate, color: 'yellow' },
    evidence: Object.entries(photos).map(([kind, bytes]) => evidenceItem(kind, bytes)),
  });
  const accepted = await signedPost(api, station, detection);
  if (accepted.status !== 202) throw new Error(`detection: ${JSON.stringify(accepted.body)}`);
  const screened = await waitFor(
    'the detection to be screened into a lead',
    async () => {
      const r = await call(api, 'GET', `/api/v1/detections/${station.code}/${detection['detectionId']}`, {
        token,
      });
      return r.status === 200 && r.body.status === 'screened' ? r.body : null;
    },
    30_000,
  );
  if (screened.outcome !== 'lead') throw new Error(`screening: ${JSON.stringify(screened)}`);
  const leadId = screened.leadId as string;
  const detectionRow = await api.db.query<{ detection_id: string }>(
    'SELECT detection_id FROM lead_detections WHERE lead_id = $1',
    [leadId],
  );
  return { leadId, detectionId: detectionRow.rows[0]!.detection_id, photos };
}

/** The lead confirmed at review and a case opened on it with these officers: the case's id. */
export async function caseOfLead(
  api: TestApi,
  leadId: string,
  token: string,
  officerIds: string[],
): Promise<string> {
  const reviewed = await call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
    token,
    body: {
      decision: 'confirm',
      reason: '号牌、轴数与图像一致，称重数据合理',
      checks: { plateMatches: true, axleCountMatches: true },
    },
  });
  if (reviewed.status !== 200) throw new Error(`review: ${JSON.stringify(reviewed.body)}`);
  const filed = await call(api, 'POST', '/api/v1/cases', { token, body: { leadId, officerIds } });
  if (filed.status !== 201) throw new Error(`case: ${JSON.stringify(filed.body)}`);
  return filed.body.id as string;
}
