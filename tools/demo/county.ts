/**
 * The demo county: a small county-level city's transport bureau (plates 湘F, administrative division 430681),
 * its detection points on named roads, its staff, and the registry of vehicles, enterprises, drivers and cargo
 * source units that its detections meet. Every number is made up; every identity number carries its real check
 * character (GB 11643, GB 32100), because the API checks them.
 */

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** 统一社会信用代码 (GB 32100) from its first 17 characters: the MOD 31 check character appended. */
export function creditCode(first17: string): string {
  const sum = [...first17].reduce((acc, c, i) => acc + USCC_WEIGHTS[i]! * USCC_CHARS.indexOf(c), 0);
  return first17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** 居民身份证号码 (GB 11643) from its first 17 digits: the ISO 7064 MOD 11-2 check character appended. */
export function residentId(first17: string): string {
  const sum = [...first17].reduce((acc, c, i) => acc + ID_WEIGHTS[i]! * Number(c), 0);
  return first17 + '10X98765432'[sum % 11];
}

export interface Station {
  code: string;
  name: string;
  road: string;
  stake: string;
  direction: string;
  lat: number;
  lng: number;
}

export const STATIONS: readonly Station[] = [
  {
    code: 'G107-K1452',
    name: 'G107 新市超限检测点',
    road: 'G107',
    stake: 'K1452+300',
    direction: '往长沙方向',
    lat: 28.7763,
    lng: 113.0827,
  },
  {
    code: 'S308-K18',
    name: 'S308 白水超限检测点',
    road: 'S308',
    stake: 'K18+600',
    direction: '往平江方向',
    lat: 28.8512,
    lng: 113.2471,
  },
  {
    code: 'G240-K302',
    name: 'G240 弼时超限检测点',
    road: 'G240',
    stake: 'K302+150',
    direction: '往岳阳方向',
    lat: 28.9034,
    lng: 113.1566,
  },
];

export type StaffRole = 'officer' | 'legal_reviewer' | 'approver' | 'auditor' | 'admin';

export interface StaffMember {
  username: string;
  displayName: string;
  roles: StaffRole[];
  enforcementCertificateNo?: string;
  legalQualificationNo?: string;
}

/** Every role: four officers (two per case, 行政处罚法 Art. 42), an approver, a legal reviewer, an auditor, an admin. */
export const STAFF: readonly StaffMember[] = [
  { username: 'li.ming', displayName: '李明', roles: ['officer'], enforcementCertificateNo: 'HN-0681-0101' },
  {
    username: 'wang.fang',
    displayName: '王芳',
    roles: ['officer'],
    enforcementCertificateNo: 'HN-0681-0102',
  },
  {
    username: 'zhang.wei',
    displayName: '张伟',
    roles: ['officer'],
    enforcementCertificateNo: 'HN-0681-0103',
  },
  { username: 'liu.yang', displayName: '刘洋', roles: ['officer'], enforcementCertificateNo: 'HN-0681-0104' },
  { username: 'chen.jianguo', displayName: '陈建国', roles: ['approver'] },
  {
    username: 'zhou.min',
    displayName: '周敏',
    roles: ['legal_reviewer'],
    legalQualificationNo: 'A20194306810123',
  },
  { username: 'wu.jing', displayName: '吴静', roles: ['auditor'] },
  { username: 'sun.tao', displayName: '孙涛', roles: ['admin'] },
];

export interface Enterprise {
  name: string;
  socialCreditCode: string;
  licenceNo: string;
  fleetSize: number;
  contactPhone: string;
}

export const ENTERPRISES: readonly Enterprise[] = [
  ['汨罗市顺达物流有限公司', '0001', '430681000101', 24, '0730-5221001'],
  ['汨罗市恒通运输有限公司', '0002', '430681000102', 36, '0730-5221002'],
  ['汨罗市新市建材运输有限公司', '0003', '430681000103', 12, '0730-5221003'],
  ['汨罗市弼时砂石运输有限公司', '0004', '430681000104', 18, '0730-5221004'],
].map(([name, serial, licenceNo, fleetSize, contactPhone]) => ({
  name: name as string,
  socialCreditCode: creditCode(`91430681MA4L0${serial as string}`),
  licenceNo: licenceNo as string,
  fleetSize: fleetSize as number,
  contactPhone: contactPhone as string,
}));

/** The legal configurations the demo's vehicles have (超限规定 Art. 3): what a station measures of them. */
export const VEHICLE_KINDS = {
  truck2: { axleCount: 2, combination: false, limitKg: 18_000, type: '重型自卸货车' },
  truck3: { axleCount: 3, combination: false, limitKg: 25_000, type: '重型自卸货车' },
  mixer4: { axleCount: 4, combination: false, limitKg: 31_000, type: '混凝土搅拌运输车' },
  combo5: { axleCount: 5, combination: true, limitKg: 43_000, type: '重型半挂牵引车' },
  combo6: { axleCount: 6, combination: true, limitKg: 49_000, type: '重型半挂牵引车' },
} as const;
export type VehicleKind = keyof typeof VEHICLE_KINDS;

export interface Vehicle {
  plate: string;
  kind: VehicleKind;
  ownerName: string;
  ownerPhone: string;
  /** A person's resident ID number, or the owning enterprise's credit code. */
  ownerIdNumber: string;
  enterpriseLicenceNo: string;
  transportCertificateNo: string;
}

const person = (n: number, born: string) => residentId(`430681${born}${String(100 + n).slice(-3)}`);

/** The registered trucks; `VEHICLES[i]` drives the i-th planned overload of the day (see traffic.ts). */
export const VEHICLES: readonly Vehicle[] = (
  [
    ['湘F52071', 'combo6', '赵建军', '13907301001', person(1, '19780312'), 0],
    ['湘F52072', 'combo6', '钱小龙', '13907301002', person(2, '19820701'), 0],
    ['湘F61803', 'mixer4', '孙立平', '13907301003', person(3, '19751120'), 2],
    ['湘F61804', 'mixer4', '李国庆', '13907301004', person(4, '19691001'), 2],
    ['湘F33905', 'truck3', '周志强', '13907301005', person(5, '19880214'), 3],
    ['湘F33906', 'truck3', '吴海波', '13907301006', person(6, '19900530'), 3],
    ['湘F70207', 'combo5', '郑伟', '13907301007', person(7, '19850808'), 1],
    ['湘F70208', 'combo6', '冯刚', '13907301008', person(8, '19790225'), 1],
    ['湘F52009', 'combo6', '陈勇', '13907301009', person(9, '19830916'), 0],
    ['湘F61810', 'mixer4', '褚宏', '13907301010', person(10, '19770403'), 2],
    ['湘F33911', 'truck3', '卫东', '13907301011', person(11, '19921111'), 3],
    ['湘F70212', 'combo5', '蒋涛', '13907301012', person(12, '19810606'), 1],
    // owned by an enterprise (一超四罚: the enterprise is the owner and the operator)
    ['湘F88013', 'combo6', '汨罗市恒通运输有限公司', '0730-5221002', ENTERPRISES[1]!.socialCreditCode, 1],
    // compliant traffic
    ['湘F20114', 'truck2', '沈明', '13907301014', person(14, '19860120'), 0],
    ['湘F20115', 'truck2', '韩磊', '13907301015', person(15, '19911018'), 3],
    ['湘F52016', 'combo6', '杨帆', '13907301016', person(16, '19840707'), 0],
    ['湘F61817', 'mixer4', '朱军', '13907301017', person(17, '19760909'), 2],
    ['湘F70218', 'combo5', '秦川', '13907301018', person(18, '19870303'), 1],
    // 大件运输: a permit covers its heavy pass
    ['湘F60888', 'combo6', '汨罗市顺达物流有限公司', '0730-5221001', ENTERPRISES[0]!.socialCreditCode, 0],
  ] as const
).map(([plate, kind, ownerName, ownerPhone, ownerIdNumber, enterprise], i) => ({
  plate,
  kind,
  ownerName,
  ownerPhone,
  ownerIdNumber,
  enterpriseLicenceNo: ENTERPRISES[enterprise]!.licenceNo,
  transportCertificateNo: `湘交运管F字${String(430681200100 + i)}`,
}));

/** The plate of the oversize-transport permit (大件运输许可) and the permit. */
export const PERMIT_PLATE = '湘F60888';

export const DRIVERS = [
  ['何志勇', person(31, '19800115'), 'QC-430681-0031', '13807302031'],
  ['吕建华', person(32, '19830422'), 'QC-430681-0032', '13807302032'],
  ['施正平', person(33, '19871030'), 'QC-430681-0033', '13807302033'],
  ['张德明', person(34, '19750618'), 'QC-430681-0034', '13807302034'],
  ['孔祥东', person(35, '19891205'), 'QC-430681-0035', '13807302035'],
].map(([name, idNumber, qualificationCertificateNo, phone]) => ({
  name: name!,
  idNumber: idNumber!,
  qualificationCertificateNo: qualificationCertificateNo!,
  phone: phone!,
}));

export const SOURCE_UNITS = [
  ['汨罗市恒基混凝土有限公司', '0101', '湖南省汨罗市新市镇工业园 8 号'],
  ['汨罗市白水砂石场', '0102', '湖南省汨罗市白水镇河滩路 1 号'],
  ['汨罗市弼时建材有限公司', '0103', '湖南省汨罗市弼时镇建材市场 12 号'],
].map(([name, serial, address]) => ({
  name: name!,
  socialCreditCode: creditCode(`91430681MA4M0${serial!}`),
  address: address!,
  // they load in the county: the bureau is competent for them (行政处罚法 Art. 22)
  siteDivisionCode: '430681',
}));
