/**
 * The one table from the country names the published files use to ISO 3166-1 alpha-2 codes. Each entry is
 * [code, name, ...other spellings]; the names are matched after `normaliseCountryName` (footnote digits,
 * bracketed qualifiers such as "(beneficiated)" and stray or non-breaking spaces removed, case ignored).
 * Every name that occurs in the shipped USGS, World Bank and EU files is tested against this table.
 * The EU annex's transcription spells some names its own way ("Brasil", "Brasilia", "Surinam", "Libanon",
 * "Turkyie"; "Congo" beside "Congo, D.R." is the Republic of the Congo); those spellings are listed too.
 * Kosovo has no ISO 3166 code; XK is the user-assigned code the European Commission and World Bank use.
 */
const TABLE: readonly (readonly [string, ...string[]])[] = [
  ['AD', 'Andorra'],
  ['AE', 'United Arab Emirates'],
  ['AF', 'Afghanistan'],
  ['AG', 'Antigua and Barbuda'],
  ['AI', 'Anguilla'],
  ['AL', 'Albania'],
  ['AM', 'Armenia'],
  ['AO', 'Angola'],
  ['AR', 'Argentina'],
  ['AS', 'American Samoa'],
  ['AT', 'Austria'],
  ['AU', 'Australia'],
  ['AW', 'Aruba'],
  ['AZ', 'Azerbaijan'],
  ['BA', 'Bosnia and Herzegovina'],
  ['BB', 'Barbados'],
  ['BD', 'Bangladesh'],
  ['BE', 'Belgium'],
  ['BF', 'Burkina Faso'],
  ['BG', 'Bulgaria'],
  ['BH', 'Bahrain'],
  ['BI', 'Burundi'],
  ['BJ', 'Benin'],
  ['BM', 'Bermuda'],
  ['BN', 'Brunei Darussalam', 'Brunei'],
  ['BO', 'Bolivia'],
  ['BR', 'Brazil', 'Brasil', 'Brasilia'],
  ['BS', 'Bahamas', 'Bahamas, The'],
  ['BT', 'Bhutan'],
  ['BW', 'Botswana'],
  ['BY', 'Belarus'],
  ['BZ', 'Belize'],
  ['CA', 'Canada'],
  [
    'CD',
    'Congo (Kinshasa)',
    'Congo, Dem. Rep.',
    'Democratic Republic of the Congo',
    'DR Congo',
    'Congo, D.R.',
  ],
  ['CF', 'Central African Republic'],
  ['CG', 'Congo (Brazzaville)', 'Congo, Rep.', 'Republic of the Congo', 'Congo'],
  ['CH', 'Switzerland'],
  ['CI', 'Côte d’Ivoire', "Cote d'Ivoire", 'Ivory Coast'],
  ['CK', 'Cook Islands'],
  ['CL', 'Chile'],
  ['CM', 'Cameroon'],
  ['CN', 'China'],
  ['CO', 'Colombia'],
  ['CR', 'Costa Rica'],
  ['CU', 'Cuba'],
  ['CV', 'Cabo Verde', 'Cape Verde'],
  ['CY', 'Cyprus'],
  ['CZ', 'Czechia', 'Czech Republic'],
  ['DE', 'Germany'],
  ['DJ', 'Djibouti'],
  ['DK', 'Denmark'],
  ['DM', 'Dominica'],
  ['DO', 'Dominican Republic'],
  ['DZ', 'Algeria'],
  ['EC', 'Ecuador'],
  ['EE', 'Estonia'],
  ['EG', 'Egypt', 'Egypt, Arab Rep.'],
  ['ER', 'Eritrea'],
  ['ES', 'Spain'],
  ['ET', 'Ethiopia'],
  ['FI', 'Finland'],
  ['FJ', 'Fiji'],
  ['FM', 'Micronesia', 'Micronesia, Fed. Sts.'],
  ['FR', 'France'],
  ['GA', 'Gabon'],
  ['GB', 'United Kingdom'],
  ['GD', 'Grenada'],
  ['GE', 'Georgia'],
  ['GF', 'French Guiana'],
  ['GH', 'Ghana'],
  ['GL', 'Greenland'],
  ['GM', 'Gambia', 'Gambia, The'],
  ['GN', 'Guinea'],
  ['GQ', 'Equatorial Guinea'],
  ['GR', 'Greece'],
  ['GT', 'Guatemala'],
  ['GU', 'Guam'],
  ['GW', 'Guinea-Bissau'],
  ['GY', 'Guyana'],
  ['HK', 'Hong Kong', 'Hong Kong SAR, China'],
  ['HN', 'Honduras'],
  ['HR', 'Croatia'],
  ['HT', 'Haiti'],
  ['HU', 'Hungary'],
  ['ID', 'Indonesia'],
  ['IE', 'Ireland'],
  ['IL', 'Israel'],
  ['IN', 'India'],
  ['IQ', 'Iraq'],
  ['IR', 'Iran', 'Iran, Islamic Rep.'],
  ['IS', 'Iceland'],
  ['IT', 'Italy'],
  ['JE', 'Jersey', 'Jersey, Channel Islands'],
  ['JM', 'Jamaica'],
  ['JO', 'Jordan'],
  ['JP', 'Japan'],
  ['KE', 'Kenya'],
  ['KG', 'Kyrgyzstan', 'Kyrgyz Republic'],
  ['KH', 'Cambodia'],
  ['KI', 'Kiribati'],
  ['KM', 'Comoros'],
  ['KN', 'St. Kitts and Nevis', 'Saint Kitts and Nevis'],
  ['KP', 'Korea, North', 'Korea, Dem. Rep.', 'North Korea'],
  ['KR', 'Korea, Republic of', 'Republic of Korea', 'Korea, Rep.', 'South Korea', 'Korea, South'],
  ['KW', 'Kuwait'],
  ['KY', 'Cayman Islands'],
  ['KZ', 'Kazakhstan'],
  ['LA', 'Laos', 'Lao PDR'],
  ['LB', 'Lebanon', 'Libanon'],
  ['LC', 'St. Lucia', 'Saint Lucia'],
  ['LI', 'Liechtenstein'],
  ['LK', 'Sri Lanka'],
  ['LR', 'Liberia'],
  ['LS', 'Lesotho'],
  ['LT', 'Lithuania'],
  ['LU', 'Luxembourg'],
  ['LV', 'Latvia'],
  ['LY', 'Libya'],
  ['MA', 'Morocco'],
  ['MC', 'Monaco'],
  ['MD', 'Moldova'],
  ['ME', 'Montenegro'],
  ['MG', 'Madagascar'],
  ['MH', 'Marshall Islands'],
  ['MK', 'North Macedonia'],
  ['ML', 'Mali'],
  ['MM', 'Burma', 'Myanmar'],
  ['MN', 'Mongolia'],
  ['MO', 'Macao SAR, China', 'Macao', 'Macau'],
  ['MQ', 'Martinique'],
  ['MR', 'Mauritania'],
  ['MT', 'Malta'],
  ['MU', 'Mauritius'],
  ['MV', 'Maldives'],
  ['MW', 'Malawi'],
  ['MX', 'Mexico'],
  ['MY', 'Malaysia'],
  ['MZ', 'Mozambique'],
  ['NA', 'Namibia'],
  ['NC', 'New Caledonia'],
  ['NE', 'Niger'],
  ['NG', 'Nigeria'],
  ['NI', 'Nicaragua'],
  ['NL', 'Netherlands'],
  ['NO', 'Norway'],
  ['NP', 'Nepal'],
  ['NR', 'Nauru'],
  ['NU', 'Niue'],
  ['NZ', 'New Zealand'],
  ['OM', 'Oman'],
  ['PA', 'Panama'],
  ['PE', 'Peru'],
  ['PG', 'Papua New Guinea'],
  ['PH', 'Philippines'],
  ['PK', 'Pakistan'],
  ['PL', 'Poland'],
  ['PR', 'Puerto Rico'],
  ['PS', 'West Bank and Gaza'],
  ['PT', 'Portugal'],
  ['PW', 'Palau'],
  ['PY', 'Paraguay'],
  ['QA', 'Qatar'],
  ['RE', 'Réunion', 'Reunion'],
  ['RO', 'Romania'],
  ['RS', 'Serbia'],
  ['RU', 'Russia', 'Russian Federation'],
  ['RW', 'Rwanda'],
  ['SA', 'Saudi Arabia'],
  ['SB', 'Solomon Islands'],
  ['SC', 'Seychelles'],
  ['SD', 'Sudan'],
  ['SE', 'Sweden'],
  ['SG', 'Singapore'],
  ['SI', 'Slovenia'],
  ['SK', 'Slovakia', 'Slovak Republic'],
  ['SL', 'Sierra Leone'],
  ['SM', 'San Marino'],
  ['SN', 'Senegal'],
  ['SO', 'Somalia'],
  ['SR', 'Suriname', 'Surinam'],
  ['SS', 'South Sudan'],
  ['ST', 'São Tomé and Principe', 'Sao Tome and Principe'],
  ['SV', 'El Salvador'],
  ['SY', 'Syria', 'Syrian Arab Republic'],
  ['SZ', 'Eswatini'],
  ['TD', 'Chad'],
  ['TG', 'Togo'],
  ['TH', 'Thailand'],
  ['TJ', 'Tajikistan'],
  ['TL', 'Timor-Leste'],
  ['TM', 'Turkmenistan'],
  ['TN', 'Tunisia'],
  ['TO', 'Tonga'],
  ['TR', 'Turkey', 'Türkiye', 'Turkyie'],
  ['TT', 'Trinidad and Tobago'],
  ['TV', 'Tuvalu'],
  ['TW', 'Taiwan'],
  ['TZ', 'Tanzania'],
  ['UA', 'Ukraine'],
  ['UG', 'Uganda'],
  ['US', 'United States'],
  ['UY', 'Uruguay'],
  ['UZ', 'Uzbekistan'],
  ['VC', 'St. Vincent and the Grenadines', 'Saint Vincent and the Grenadines'],
  ['VE', 'Venezuela', 'Venezuela, RB'],
  ['VI', 'Virgin Islands (U.S.)'],
  ['VN', 'Vietnam', 'Viet Nam'],
  ['VU', 'Vanuatu'],
  ['WS', 'Samoa'],
  ['XK', 'Kosovo'],
  ['YE', 'Yemen', 'Yemen, Rep.'],
  ['ZA', 'South Africa'],
  ['ZM', 'Zambia'],
  ['ZW', 'Zimbabwe'],
];

/** Names that are not one country: what a row of that name stands for. */
const AGGREGATES: readonly [RegExp, 'world' | 'other' | 'group'][] = [
  [/^world total/, 'world'],
  [/^other countries/, 'other'],
  [/^united states and canada$/, 'group'],
];

const key = (name: string) =>
  name
    .replace(/\u00a0/g, ' ')
    .replace(/[’']/g, "'")
    .trim()
    .toLowerCase();

/**
 * A published name as the key the table uses: non-breaking spaces made plain, footnote digits at the end
 * ("China3", "World total (rounded) 10") and a bracketed qualifier after the name ("Brazil (beneficiated)",
 * "United States (crude)") removed. Names that are brackets themselves ("Congo (Kinshasa)",
 * "Virgin Islands (U.S.)") are in the table whole, so they are tried first.
 */
export function normaliseCountryName(name: string): string {
  const plain = key(name).replace(/\s*\d+$/, '');
  if (byName.has(plain)) return plain;
  return plain.replace(/\s*\([^)]*\)\s*$/, '').trim();
}

const byName = new Map<string, string>();
const nameOf = new Map<string, string>();
for (const [code, name, ...aliases] of TABLE) {
  nameOf.set(code, name as string);
  for (const n of [name as string, ...aliases]) {
    if (byName.has(key(n))) throw new Error(`country table: "${n}" appears twice`);
    byName.set(key(n), code);
  }
}

export type CountryRef =
  | { kind: 'country'; code: string }
  | { kind: 'world' }
  | { kind: 'other' }
  | { kind: 'group'; name: string }
  | { kind: 'unknown'; name: string };

/** What a name in a published file stands for; `unknown` when the table lacks it (a test forbids that). */
export function countryRef(name: string): CountryRef {
  const normal = normaliseCountryName(name);
  const code = byName.get(normal);
  if (code) return { kind: 'country', code };
  for (const [pattern, kind] of AGGREGATES) {
    if (pattern.test(normal)) return kind === 'group' ? { kind, name: name.trim() } : { kind };
  }
  return { kind: 'unknown', name };
}

/** The ISO code for a published country name; throws when the name is not one country. */
export function countryCode(name: string): string {
  const ref = countryRef(name);
  if (ref.kind !== 'country') throw new Error(`"${name}" is not a country of the mapping table`);
  return ref.code;
}

/** Keel's name for an ISO code (the first name of its table entry). */
export const countryName = (code: string): string | undefined => nameOf.get(code);
