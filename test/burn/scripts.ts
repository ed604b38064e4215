/**
 * Burned-in values in every script issue 7 asks for, as the identity side will supply them: names,
 * institutions and dates in each locale's own written form, with the tesseract language pack that reads
 * them and whether OCR recall is counted by characters (scripts written without spaces) or by tokens.
 */
import { toBurnedCapitals, type BurnFontId, type BurnValue } from '../../src/burn/index.js';
import { sampleValues } from './helpers.js';

/** One script's sample values. */
export interface ScriptSample {
  /** Locale tag, e.g. `ja`. */
  readonly locale: string;
  /** Debian tesseract language pack (tesseract-ocr-<lang>, with `_` as `-`). */
  readonly tesseract: string;
  /** Recall by characters (CJK: tesseract's tokens are not words) or by space-separated tokens. */
  readonly unit: 'characters' | 'tokens';
  /** The regular face a line of this script is drawn in when the block's face is DejaVu Sans. */
  readonly face: BurnFontId;
  readonly names: readonly string[];
  readonly institutions: readonly string[];
  readonly dates: readonly string[];
}

export const SCRIPTS: readonly ScriptSample[] = [
  {
    locale: 'ja',
    tesseract: 'jpn',
    unit: 'characters',
    face: 'noto-sans-sc',
    names: [
      '山田 太郎',
      '佐藤 花子',
      '鈴木 一郎',
      '高橋 美咲',
      '田中 健太',
      '渡辺 直美',
      '伊藤 さくら',
      '中村 翔太',
    ],
    institutions: ['東京中央病院', '横浜みなと病院', '京都大学医学部附属病院', '札幌東クリニック'],
    dates: ['2019年3月4日', '1957年11月23日', '2021年7月15日', '1988年1月9日'],
  },
  {
    locale: 'ko',
    tesseract: 'kor',
    unit: 'characters',
    face: 'noto-sans-kr',
    names: ['홍길동', '김민준', '이서연', '박지훈', '최수아', '정우진', '강하늘', '윤지민'],
    institutions: ['서울대학교병원', '부산성모병원', '세브란스병원', '대구가톨릭대학교병원'],
    dates: ['2019년 3월 4일', '1957년 11월 23일', '2021년 7월 15일', '1988년 1월 9일'],
  },
  {
    locale: 'zh_CN',
    tesseract: 'chi_sim',
    unit: 'characters',
    face: 'noto-sans-sc',
    names: ['王小东', '张伟', '李娜', '刘洋', '陈静', '杨帆', '赵丽颖', '黄晓明'],
    institutions: ['北京协和医院', '上海市第一人民医院', '广州中山医院', '华西医院'],
    dates: ['2019年3月4日', '1957年11月23日', '2021年7月15日', '1988年1月9日'],
  },
  {
    locale: 'el',
    tesseract: 'ell',
    unit: 'tokens',
    face: 'dejavu-sans',
    names: [
      'Παπαδόπουλος Γιώργος',
      'Νικολάου Μαρία',
      'Οικονόμου Δημήτρης',
      'Γεωργίου Ελένη',
      'Κωνσταντίνου Νίκος',
      'Ιωάννου Σοφία',
    ],
    institutions: ['Γενικό Νοσοκομείο Αθηνών', 'Νοσοκομείο Παπανικολάου', 'Ευαγγελισμός'],
    dates: ['4 Μαρτίου 2019', '23 Νοεμβρίου 1957', '15 Ιουλίου 2021', '9 Ιανουαρίου 1988'],
  },
  {
    locale: 'ru',
    tesseract: 'rus',
    unit: 'tokens',
    face: 'dejavu-sans',
    names: [
      'Иванов Иван',
      'Смирнова Ольга',
      'Кузнецов Дмитрий',
      'Попова Анна',
      'Соколов Сергей',
      'Волкова Елена',
    ],
    institutions: ['Городская больница № 1', 'Клиника Медси', 'Боткинская больница'],
    dates: ['4 марта 2019 г.', '23 ноября 1957 г.', '15 июля 2021 г.', '9 января 1988 г.'],
  },
  {
    locale: 'de',
    tesseract: 'deu',
    unit: 'tokens',
    face: 'dejavu-sans',
    names: ['Müller Jürgen', 'Schäfer Käthe', 'Weiß Günther', 'Groß Björn', 'Köhler Uwe', 'Bäcker Jörg'],
    institutions: ['Universitätsklinikum Köln', 'Klinikum Nürnberg Süd', 'St. Marien-Hospital Düsseldorf'],
    dates: ['4. März 2019', '23. November 1957', '15. Juli 2021', '9. Januar 1988'],
  },
  {
    locale: 'fr',
    tesseract: 'fra',
    unit: 'tokens',
    face: 'dejavu-sans',
    names: ['Lefèvre Hélène', 'François Gaël', 'Benoît Chloé', 'Gérard Noël', 'Dupré Léa', 'Mercier Loïc'],
    institutions: ['Hôpital Saint-Éloi', 'Clinique Sainte-Thérèse', 'Hôpital de la Pitié-Salpêtrière'],
    dates: ['4 mars 2019', '23 novembre 1957', '15 juillet 2021', '9 janvier 1988'],
  },
  {
    locale: 'es',
    tesseract: 'spa',
    unit: 'tokens',
    face: 'dejavu-sans',
    names: ['Muñoz Begoña', 'Peña José', 'Ibáñez Íñigo', 'Álvarez María', 'Núñez Ramón', 'Gómez Inés'],
    institutions: ['Hospital Universitario La Fe', 'Clínica Universidad de Navarra', 'Hospital Niño Jesús'],
    dates: ['4 de marzo de 2019', '23 de noviembre de 1957', '15 de julio de 2021', '9 de enero de 1988'],
  },
];

/** Keys whose values come from the script sample (the rest stay as sampleValues gives them). */
export const SCRIPT_KEYS = [
  'patient.name.burned',
  'patient.birthDate.burned',
  'study.date.burned',
  'study.institution.burned',
  'study.referringPhysician.burned',
] as const;

/** A patient's burned-in values in one script; `upper` renders names and institutions in capitals as burned. */
export function scriptValues(script: ScriptSample, variant: number, upper = false): BurnValue[] {
  const pick = <T>(list: readonly T[], k: number): T => list[k % list.length]!;
  const cased = (text: string): string => (upper ? toBurnedCapitals(text) : text);
  const texts: Record<(typeof SCRIPT_KEYS)[number], string> = {
    'patient.name.burned': cased(pick(script.names, variant)),
    'patient.birthDate.burned': pick(script.dates, variant + 1),
    'study.date.burned': pick(script.dates, variant),
    'study.institution.burned': cased(pick(script.institutions, variant)),
    'study.referringPhysician.burned': cased(pick(script.names, variant + 3)),
  };
  return sampleValues(variant).map((v) =>
    v.key in texts ? { ...v, text: texts[v.key as keyof typeof texts] } : v,
  );
}

/** Every distinct text of a script's sample. */
export function scriptTexts(script: ScriptSample): string[] {
  return [...script.names, ...script.institutions, ...script.dates];
}
