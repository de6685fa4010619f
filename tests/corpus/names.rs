//! Word lists the generator draws fictional people, institutions and courses from.
//!
//! Every person in the corpus is a random pairing of a common family name with a common given name,
//! so no generated record describes a real person; institution names are built from invented
//! place-like words, never copied from a real school. Used by `gen.rs` only.

/// Common family names with their katakana reading.
pub const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("山下", "ヤマシタ"),
    ("中島", "ナカジマ"),
    ("石井", "イシイ"),
    ("小川", "オガワ"),
    ("前田", "マエダ"),
    ("岡田", "オカダ"),
    ("藤田", "フジタ"),
    ("後藤", "ゴトウ"),
    ("村上", "ムラカミ"),
    ("遠藤", "エンドウ"),
    ("青木", "アオキ"),
    ("坂本", "サカモト"),
    ("西村", "ニシムラ"),
    ("福田", "フクダ"),
    ("太田", "オオタ"),
];

/// Common given names of mothers (most applicants are 母子家庭の母).
pub const GIVEN_MOTHER: &[(&str, &str)] = &[
    ("花子", "ハナコ"),
    ("陽子", "ヨウコ"),
    ("恵子", "ケイコ"),
    ("直美", "ナオミ"),
    ("裕子", "ユウコ"),
    ("美穂", "ミホ"),
    ("由美", "ユミ"),
    ("智子", "トモコ"),
    ("麻衣", "マイ"),
    ("彩", "アヤ"),
    ("愛", "アイ"),
    ("舞", "マイ"),
    ("美咲", "ミサキ"),
    ("優子", "ユウコ"),
    ("千尋", "チヒロ"),
    ("香織", "カオリ"),
    ("沙織", "サオリ"),
    ("早苗", "サナエ"),
    ("明美", "アケミ"),
    ("純子", "ジュンコ"),
    ("真理", "マリ"),
    ("瞳", "ヒトミ"),
    ("綾香", "アヤカ"),
    ("理恵", "リエ"),
];

/// Common given names of fathers (父子家庭の父).
pub const GIVEN_FATHER: &[(&str, &str)] = &[
    ("大輔", "ダイスケ"),
    ("健太", "ケンタ"),
    ("拓也", "タクヤ"),
    ("直樹", "ナオキ"),
    ("和也", "カズヤ"),
    ("誠", "マコト"),
    ("浩二", "コウジ"),
    ("達也", "タツヤ"),
    ("隆", "タカシ"),
    ("剛", "ツヨシ"),
];

/// Common given names of children.
pub const GIVEN_CHILD: &[&str] = &[
    "陽菜", "結衣", "蓮", "湊", "悠真", "陽翔", "結菜", "芽依", "蒼", "凛", "大和", "葵", "樹",
    "美桜", "颯太", "莉子", "陸", "心春", "奏", "紬",
];

/// Given names of other adults (the grandparent or relative who sometimes pays instead).
pub const GIVEN_OTHER: &[&str] = &[
    "和子", "幸子", "節子", "弘", "茂", "勝", "洋子", "敏子", "清", "進",
];

/// Given names for representatives of institutions (校長, 代表取締役 …).
pub const GIVEN_REP: &[&str] = &[
    "一郎",
    "正樹",
    "修",
    "誠一",
    "雅之",
    "康弘",
    "久美子",
    "由紀子",
    "信也",
    "秀明",
];

/// Invented place-like words the institution names are built from.
pub const PLACE_WORDS: &[&str] = &[
    "若葉台",
    "緑風",
    "ひばり",
    "つばさ",
    "青葉",
    "光陽",
    "朝凪",
    "星ヶ丘",
    "さくら野",
    "東雲",
    "白樺",
    "みなと",
    "春日野",
    "翔栄",
    "陽だまり",
];

/// Municipalities used in fictional addresses (town names only; street numbers are invented).
pub const TOWNS: &[&str] = &[
    "埼玉県さいたま市浦和区",
    "埼玉県川口市",
    "埼玉県越谷市",
    "千葉県船橋市",
    "東京都八王子市",
    "神奈川県相模原市中央区",
    "群馬県高崎市",
    "栃木県宇都宮市",
];

/// 一般教育訓練 courses: (course name, typical tuition in yen).
pub const GENERAL_COURSES: &[(&str, i64)] = &[
    ("介護職員初任者研修", 88_000),
    ("医療事務講座", 65_000),
    ("調剤薬局事務講座", 48_000),
    ("登録販売者講座", 59_800),
    ("日商簿記2級講座", 72_000),
    ("ITパスポート試験対策講座", 39_600),
    ("宅地建物取引士講座", 120_000),
    ("Webデザイナー養成講座", 198_000),
    ("介護福祉士実務者研修", 130_000),
    ("社会保険労務士講座", 165_000),
    ("保育士資格取得講座", 96_000),
    ("大型自動車第一種運転免許", 280_000),
];

/// 専門実践教育訓練 courses: (course name, tuition per year in yen).
pub const SPECIALIZED_COURSES: &[(&str, i64)] = &[
    ("介護福祉士養成課程", 780_000),
    ("保育士養成課程", 720_000),
    ("歯科衛生士養成課程", 900_000),
    ("調理師養成課程", 1_050_000),
    ("精神保健福祉士養成課程", 640_000),
];

/// Credit companies named on クレジット契約証明書 (invented).
pub const CREDIT_COMPANIES: &[&str] = &[
    "ひばりクレジット株式会社",
    "株式会社みなとファイナンス",
    "東雲信販株式会社",
];

/// Names of schools that print no 法人格 (a brand; the branch comes from [`CAMPUSES`]).
pub const BRANDS: &[&str] = &[
    "医療事務カレッジ",
    "キャリアアップスクール",
    "ケアワークアカデミー",
    "資格のひばり学院",
    "つばさ介護スクール",
    "青葉パソコン教室",
    "みらい保育カレッジ",
];

/// Branches (校舎) of those schools.
pub const CAMPUSES: &[&str] = &[
    "大宮校",
    "川口校",
    "越谷校",
    "船橋校",
    "八王子校",
    "高崎校",
    "宇都宮校",
    "浦和校",
    "所沢校",
    "相模原校",
];
