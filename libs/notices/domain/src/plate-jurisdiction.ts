/**
 * The home jurisdiction (车籍地) of a Chinese plate from its province character and issuing-authority
 * letter, e.g. 湘F → 湖南省岳阳市. Cities are listed for Hunan (the bureau's province); elsewhere the
 * province and the letter are shown, which identifies the issuing 车管所 all the same.
 */
const PROVINCES: Readonly<Record<string, string>> = {
  京: '北京市',
  津: '天津市',
  沪: '上海市',
  渝: '重庆市',
  冀: '河北省',
  晋: '山西省',
  蒙: '内蒙古自治区',
  辽: '辽宁省',
  吉: '吉林省',
  黑: '黑龙江省',
  苏: '江苏省',
  浙: '浙江省',
  皖: '安徽省',
  闽: '福建省',
  赣: '江西省',
  鲁: '山东省',
  豫: '河南省',
  鄂: '湖北省',
  湘: '湖南省',
  粤: '广东省',
  桂: '广西壮族自治区',
  琼: '海南省',
  川: '四川省',
  贵: '贵州省',
  云: '云南省',
  藏: '西藏自治区',
  陕: '陕西省',
  甘: '甘肃省',
  青: '青海省',
  宁: '宁夏回族自治区',
  新: '新疆维吾尔自治区',
};

const CITIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  湘: {
    A: '长沙市',
    B: '株洲市',
    C: '湘潭市',
    D: '衡阳市',
    E: '邵阳市',
    F: '岳阳市',
    G: '张家界市',
    H: '益阳市',
    J: '常德市',
    K: '娄底市',
    L: '郴州市',
    M: '永州市',
    N: '怀化市',
    U: '湘西土家族苗族自治州',
  },
};

export interface PlateJurisdiction {
  /** e.g. 湘F */
  prefix: string;
  /** e.g. 湖南省岳阳市, or 广东省（粤B） when the city is not in the table */
  name: string;
}

/** Null when the plate does not start with a known province character and a letter. */
export function jurisdictionOfPlate(plate: string): PlateJurisdiction | null {
  const province = plate.charAt(0);
  const letter = plate.charAt(1).toUpperCase();
  const provinceName = PROVINCES[province];
  if (!provinceName || !/^[A-Z]$/.test(letter)) return null;
  const prefix = `${province}${letter}`;
  const city = CITIES[province]?.[letter];
  return { prefix, name: city ? `${provinceName}${city}` : `${provinceName}（${prefix}）` };
}
