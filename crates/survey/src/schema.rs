//! The census schema: every layer the census collects, its fields (English snake_case
//! names in the database, Chinese and English labels), types, units, ranges and
//! value domains. `docs/census-schema.md` is the readable form of this file.
//!
//! Domain values are stored as their English code (`rc_frame`); a source may give
//! the code, the Chinese label (`钢筋混凝土框架`), the English label or any listed
//! alias, and a mapping file may translate the surveyors' own codes.

/// Storage type of a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Free text (stored as a string column).
    Text,
    /// A whole number (stored as a 64-bit integer); a real value with no fraction is
    /// accepted.
    Integer,
    /// A finite real number (stored as a double).
    Real,
    /// Calendar date `YYYY-MM-DD` (also read from `YYYY/MM/DD` and `YYYYMMDD`); never
    /// in the future.
    Date,
    /// A code from a value domain.
    Code(&'static Domain),
}

/// One allowed value of a domain: stored code, Chinese label, English label, other
/// spellings accepted on input.
#[derive(Debug, PartialEq)]
pub struct Value {
    /// The code stored in the database (e.g. `rc_frame`).
    pub code: &'static str,
    /// Chinese label (e.g. `钢筋混凝土框架`), matched exactly on input.
    pub zh: &'static str,
    /// English label, matched ASCII case-insensitively on input.
    pub en: &'static str,
    /// Other spellings accepted on input (ASCII case-insensitive).
    pub aliases: &'static [&'static str],
}

/// A value domain (enumeration).
#[derive(Debug, PartialEq)]
pub struct Domain {
    /// Domain name (snake_case), used in messages and `docs/census-schema.md`.
    pub name: &'static str,
    /// The allowed values, in display order.
    pub values: &'static [Value],
}

impl Domain {
    /// The stored code for an input value: matches the code, the Chinese or English
    /// label or an alias (ASCII case-insensitive, surrounding blanks ignored).
    pub fn lookup(&self, input: &str) -> Option<&'static str> {
        let s = input.trim();
        self.values
            .iter()
            .find(|v| {
                v.code.eq_ignore_ascii_case(s)
                    || v.zh == s
                    || v.en.eq_ignore_ascii_case(s)
                    || v.aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
            })
            .map(|v| v.code)
    }

    /// The allowed values as `code (中文)` for messages.
    pub fn describe(&self) -> String {
        self.values
            .iter()
            .map(|v| format!("{} ({})", v.code, v.zh))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A field of a census layer.
#[derive(Debug, PartialEq)]
pub struct Field {
    /// Database name (English snake_case).
    pub name: &'static str,
    /// Chinese label.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
    /// Storage type and how input is checked.
    pub kind: Kind,
    /// A record with this field blank is rejected (rule `required`).
    pub required: bool,
    /// Unit of the values (`m`, `m²`, `persons`, `万元` …), for docs and messages;
    /// values are not converted.
    pub unit: Option<&'static str>,
    /// Inclusive `[min, max]` for numbers. A year field's max is checked against
    /// the current year by the `future_date` rule instead.
    pub range: Option<(f64, f64)>,
    /// Source field names recognised without a mapping file (case-insensitive),
    /// e.g. the DBF names of the national hidden-danger survey or Chinese headers.
    pub aliases: &'static [&'static str],
    /// An integer year that must not lie in the future.
    pub year: bool,
}

/// Geometry a layer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Geom {
    /// Points (a single-point multipoint is accepted).
    Point,
    /// Lines, stored as multilines.
    Line,
    /// Polygons, stored as multipolygons.
    Polygon,
    /// Points or polygons (admin units: boundaries or seats).
    Any,
    /// No geometry (a plain table).
    None,
}

/// A census layer.
#[derive(Debug, PartialEq)]
pub struct Layer {
    /// Layer kind = database table name.
    pub name: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// Geometry the layer holds (stored in the census CRS).
    pub geometry: Geom,
    /// False when records may come without a location (events tied to a township).
    pub geometry_required: bool,
    /// Fields whose values identify a record (re-loading updates by this key).
    pub key: &'static [&'static str],
    /// The schema fields, in table column order (the system fields of
    /// [`SYSTEM_FIELDS`] follow them in spatial tables).
    pub fields: &'static [Field],
}

impl Layer {
    /// The field called `name`, looked up in the [`LAYERS`] entry of the same name.
    ///
    /// # Panics
    /// When `self.name` is not a layer of [`LAYERS`] (a layer built by hand).
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        // SAFETY-free: layers are statics, so their fields are 'static too.
        let layer: &'static Layer = layer(self.name).expect("a schema layer");
        layer.fields.iter().find(|f| f.name == name)
    }
}

const fn f(name: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: false,
        unit: None,
        range: None,
        aliases: &[],
        year: false,
    }
}

impl Field {
    /// The unit a number of this field may be written with after it in a survey
    /// form (`crate::text::number_text`): its unit, or `year` for a year (`2005年`).
    pub fn written_unit(&self) -> Option<&'static str> {
        if self.year {
            Some("year")
        } else {
            self.unit
        }
    }

    const fn req(mut self) -> Self {
        self.required = true;
        self
    }
    const fn unit(mut self, u: &'static str) -> Self {
        self.unit = Some(u);
        self
    }
    const fn range(mut self, lo: f64, hi: f64) -> Self {
        self.range = Some((lo, hi));
        self
    }
    const fn alias(mut self, a: &'static [&'static str]) -> Self {
        self.aliases = a;
        self
    }
    const fn year(mut self) -> Self {
        self.year = true;
        self
    }
}

const fn v(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
) -> Value {
    Value {
        code,
        zh,
        en,
        aliases,
    }
}

use riskcensus_contracts::tables::census as T;
use Kind::{Code, Date, Integer, Real, Text};

// ---------------------------------------------------------------- value domains

/// Admin level (`county`, `township`, `village`); the code's length (6, 9 or 12
/// digits) is accepted as an alias.
pub static ADMIN_LEVEL: Domain = Domain {
    name: "admin_level",
    values: &[
        v("county", "县级", "county", &["县", "区", "县级市", "6"]),
        v(
            "township",
            "乡级",
            "township",
            &["镇", "乡", "街道", "乡镇", "9"],
        ),
        v(
            "village",
            "村级",
            "village",
            &["村", "村委会", "社区", "社区居委会", "12"],
        ),
    ],
};

/// Building structure type (结构类型), the building class of the earthquake
/// fragility and flood depth-damage models.
pub static STRUCTURE: Domain = Domain {
    name: "structure",
    values: &[
        v(
            "rc_frame",
            "钢筋混凝土框架",
            "reinforced concrete frame",
            &["钢筋混凝土", "框架", "混凝土结构", "RC"],
        ),
        v(
            "brick_concrete",
            "砖混",
            "brick-concrete",
            &["砖混结构", "混合结构"],
        ),
        v("brick_wood", "砖木", "brick-wood", &["砖木结构"]),
        v(
            "earth_stone",
            "土木石",
            "earth/stone",
            &["土木", "石木", "土坯", "土木石结构"],
        ),
        v("steel", "钢结构", "steel", &["钢"]),
        v("other", "其他", "other", &["其它"]),
    ],
};

/// Seismic fortification intensity (抗震设防烈度) of a building: VI–IX or none, with
/// the design basic acceleration where a degree has two (GB 50011-2010 Table 3.2.2:
/// 7度 0.10 g or 0.15 g, 8度 0.20 g or 0.30 g; `vii` and `viii` are the 0.10 g and
/// 0.20 g forms).
pub static FORTIFICATION: Domain = Domain {
    name: "fortification",
    values: &[
        v(
            "vi",
            "6度",
            "intensity VI",
            &["6", "六度", "VI度", "6度(0.05g)", "6度（0.05g）"],
        ),
        v(
            "vii",
            "7度",
            "intensity VII",
            &[
                "7",
                "七度",
                "VII度",
                "7度(0.10g)",
                "7度（0.10g）",
                "7度(0.1g)",
            ],
        ),
        v(
            "vii_015g",
            "7度(0.15g)",
            "intensity VII (0.15 g)",
            &[
                "7度（0.15g）",
                "7(0.15g)",
                "VII(0.15g)",
                "七度(0.15g)",
                "0.15g",
            ],
        ),
        v(
            "viii",
            "8度",
            "intensity VIII",
            &[
                "8",
                "八度",
                "VIII度",
                "8度(0.20g)",
                "8度（0.20g）",
                "8度(0.2g)",
            ],
        ),
        v(
            "viii_030g",
            "8度(0.30g)",
            "intensity VIII (0.30 g)",
            &[
                "8度（0.30g）",
                "8度(0.3g)",
                "8(0.30g)",
                "VIII(0.30g)",
                "八度(0.30g)",
                "0.30g",
            ],
        ),
        v(
            "ix",
            "9度",
            "intensity IX",
            &["9", "九度", "IX度", "9度(0.40g)", "9度（0.40g）"],
        ),
        v("none", "未设防", "not fortified", &["0", "无", "不设防"]),
    ],
};

/// Seismic fortification category (抗震设防类别) of a building, GB 50223-2008
/// §3.0.2: 甲 special, 乙 key (schools, hospitals …), 丙 standard, 丁 reduced.
pub static SEISMIC_CATEGORY: Domain = Domain {
    name: "seismic_category",
    values: &[
        v("a", "甲类", "category A (special)", &["甲", "特殊设防类"]),
        v("b", "乙类", "category B (key)", &["乙", "重点设防类"]),
        v("c", "丙类", "category C (standard)", &["丙", "标准设防类"]),
        v("d", "丁类", "category D (reduced)", &["丁", "适度设防类"]),
    ],
};

/// Use of a building (用途).
pub static BUILDING_USE: Domain = Domain {
    name: "building_use",
    values: &[
        v("residential", "住宅", "residential", &["居住"]),
        v("commercial", "商业", "commercial", &[]),
        v("office", "办公", "office", &[]),
        v("education", "教育", "education", &["学校"]),
        v("medical", "医疗", "medical", &["医院"]),
        v("industrial", "工业", "industrial", &["工厂"]),
        v("storage", "仓储", "storage", &[]),
        v("agricultural", "农业", "agricultural", &[]),
        v("other", "其他", "other", &["其它"]),
    ],
};

/// Type of a geological hidden-danger point (灾害类型).
pub static HIDDEN_DANGER_TYPE: Domain = Domain {
    name: "hidden_danger_type",
    values: &[
        v("landslide", "滑坡", "landslide", &[]),
        v(
            "collapse",
            "崩塌",
            "collapse / rockfall",
            &["危岩", "崩塌(危岩)"],
        ),
        v("debris_flow", "泥石流", "debris flow", &[]),
        v(
            "subsidence",
            "地面塌陷",
            "ground subsidence / collapse",
            &["塌陷", "岩溶塌陷", "采空塌陷"],
        ),
        v("ground_fissure", "地裂缝", "ground fissure", &[]),
        v("unstable_slope", "不稳定斜坡", "unstable slope", &["斜坡"]),
    ],
};

/// Scale class of a geological hazard (规模等级: 小型 to 特大型).
pub static SCALE: Domain = Domain {
    name: "scale",
    values: &[
        v("small", "小型", "small", &["小"]),
        v("medium", "中型", "medium", &["中"]),
        v("large", "大型", "large", &["大"]),
        v("huge", "特大型", "huge", &["特大"]),
    ],
};

/// Stability of a hidden-danger point (稳定性) as assessed by the survey.
pub static STABILITY: Domain = Domain {
    name: "stability",
    values: &[
        v("stable", "稳定", "stable", &["稳定性好"]),
        v(
            "basically_stable",
            "基本稳定",
            "basically stable",
            &["较稳定"],
        ),
        v("unstable", "不稳定", "unstable", &["稳定性差"]),
    ],
};

/// How a hidden-danger point is monitored (专业监测, 群测群防, none).
pub static MONITORING: Domain = Domain {
    name: "monitoring",
    values: &[
        v(
            "professional",
            "专业监测",
            "professional monitoring",
            &["专业"],
        ),
        v("mass", "群测群防", "community monitoring", &["群测"]),
        v("none", "未监测", "not monitored", &["无", "无监测"]),
    ],
};

/// Relocation (搬迁避让) of the people a hidden-danger point threatens: one of the
/// two measures of the national prevention programme besides engineering works.
pub static RELOCATION: Domain = Domain {
    name: "relocation",
    values: &[
        v("done", "已搬迁", "relocated", &["已搬迁避让", "搬迁完成"]),
        v(
            "planned",
            "计划搬迁",
            "relocation planned",
            &["搬迁中", "拟搬迁"],
        ),
        v("none", "未搬迁", "not relocated", &["无", "否"]),
    ],
};

/// Disaster type of a historical event (灾种).
pub static EVENT_TYPE: Domain = Domain {
    name: "event_type",
    values: &[
        v(
            "flood",
            "暴雨洪涝",
            "rainstorm and flood",
            &["洪涝", "暴雨", "洪水"],
        ),
        v("drought", "干旱", "drought", &["旱灾"]),
        v("wind", "大风", "gale", &["风灾"]),
        v("hail", "冰雹", "hail", &[]),
        v("typhoon", "台风", "typhoon", &[]),
        v(
            "cold",
            "低温冷冻",
            "cold wave and frost",
            &["雪灾", "低温冷冻和雪灾", "寒潮"],
        ),
        v("earthquake", "地震", "earthquake", &[]),
        v("landslide", "滑坡", "landslide", &[]),
        v("collapse", "崩塌", "collapse", &[]),
        v("debris_flow", "泥石流", "debris flow", &[]),
        v("subsidence", "地面塌陷", "ground subsidence", &[]),
        v("ground_fissure", "地裂缝", "ground fissure", &[]),
        v(
            "forest_fire",
            "森林火灾",
            "forest fire",
            &["森林火情", "草原火灾"],
        ),
        v("other", "其他", "other", &["其它"]),
    ],
};

/// Kind of a key facility (重点设施).
pub static FACILITY_KIND: Domain = Domain {
    name: "facility_kind",
    values: &[
        v("school", "学校", "school", &["中学", "小学", "幼儿园"]),
        v("hospital", "医院", "hospital", &["卫生院", "医疗机构"]),
        v(
            "chemical_plant",
            "化工厂",
            "chemical plant",
            &["危化品企业", "危险化学品企业"],
        ),
        v("reservoir", "水库", "reservoir", &[]),
        v("dike", "堤防", "dike", &["堤坝", "河堤"]),
        v("other", "其他", "other", &["其它"]),
    ],
};

/// Kind of a protected site (保护地): the places whose forests the wildfire
/// prevention zoning weighs (heritage and scenic forests).
pub static PROTECTED_SITE_KIND: Domain = Domain {
    name: "protected_site_kind",
    values: &[
        v(
            "heritage",
            "文物保护单位",
            "heritage site",
            &["文物古迹", "文保单位", "历史文化遗产"],
        ),
        v("scenic", "风景名胜区", "scenic area", &["风景区", "景区"]),
        v(
            "nature_reserve",
            "自然保护区",
            "nature reserve",
            &["保护区"],
        ),
        v("forest_park", "森林公园", "forest park", &[]),
        v("other", "其他", "other", &["其它"]),
    ],
};

/// Technical class of a road (技术等级), expressway to village road.
pub static ROAD_CLASS: Domain = Domain {
    name: "road_class",
    values: &[
        v("expressway", "高速公路", "expressway", &["高速"]),
        v("national", "国道", "national road", &[]),
        v("provincial", "省道", "provincial road", &[]),
        v("county", "县道", "county road", &[]),
        v("township", "乡道", "township road", &[]),
        v("village", "村道", "village road", &[]),
        v("other", "其他", "other", &["专用公路"]),
    ],
};

/// Land-cover class; the codes are GlobeLand30's (10 cropland … 90 bare land).
pub static LAND_COVER: Domain = Domain {
    name: "land_cover",
    values: &[
        v("10", "耕地", "cropland", &[]),
        v("20", "林地", "forest", &[]),
        v("30", "草地", "grassland", &[]),
        v("40", "灌木地", "shrubland", &[]),
        v("50", "湿地", "wetland", &[]),
        v("60", "水体", "water", &[]),
        v("80", "人造地表", "built-up", &[]),
        v("90", "裸地", "bare land", &[]),
    ],
};

/// Yes or no (是/否, 有/无), for the items of a survey form that are ticked or not.
/// `0`/`1` and `true`/`false` of spreadsheet and DBF exports are accepted; a form's
/// own wording (`已编制`, `未建立` …) is listed where common.
pub static YES_NO: Domain = Domain {
    name: "yes_no",
    values: &[
        v(
            "yes",
            "是",
            "yes",
            &[
                "有",
                "Y",
                "1",
                "true",
                "T",
                "√",
                "已编制",
                "已制定",
                "已建立",
                "已建设",
                "已配备",
                "已安装",
                "已绘制",
                "已创建",
                "已命名",
            ],
        ),
        v(
            "no",
            "否",
            "no",
            &[
                "无",
                "N",
                "0",
                "false",
                "F",
                "×",
                "没有",
                "未编制",
                "未制定",
                "未建立",
                "未建设",
                "未配备",
                "未安装",
                "未绘制",
                "未创建",
            ],
        ),
    ],
};

/// Class of an emergency shelter (避难场所类型) after GB 51143-2015 (防灾避难场所设计
/// 规范), chapter 3: emergency, fixed (short-, medium- and long-term, by the planned
/// opening time and the completeness of the emergency facilities) and central
/// shelters. A fixed shelter whose term is not given (`固定避难场所`) is read as
/// short-term, the least equipped fixed class, so capacity is never overstated.
pub static SHELTER_TYPE: Domain = Domain {
    name: "shelter_type",
    values: &[
        v(
            "emergency",
            "紧急避难场所",
            "emergency shelter",
            &["紧急", "紧急避难", "紧急避难点", "紧急疏散场所"],
        ),
        v(
            "fixed_short",
            "短期固定避难场所",
            "short-term fixed shelter",
            &[
                "短期固定",
                "短期",
                "短期避难场所",
                "固定避难场所",
                "固定",
                "fixed",
            ],
        ),
        v(
            "fixed_medium",
            "中期固定避难场所",
            "medium-term fixed shelter",
            &["中期固定", "中期", "中期避难场所"],
        ),
        v(
            "fixed_long",
            "长期固定避难场所",
            "long-term fixed shelter",
            &["长期固定", "长期", "长期避难场所"],
        ),
        v(
            "central",
            "中心避难场所",
            "central shelter",
            &["中心", "中心避难", "中心避难所"],
        ),
    ],
};

/// Kind of a rescue team or station (队伍类型), by what it is equipped for.
pub static TEAM_KIND: Domain = Domain {
    name: "team_kind",
    values: &[
        v(
            "fire",
            "消防救援",
            "fire and rescue",
            &[
                "消防救援站",
                "消防救援大队",
                "消防救援中队",
                "特勤站",
                "专职消防队",
                "消防站",
                "消防队",
                "志愿消防队",
                "微型消防站",
                "消防",
            ],
        ),
        v(
            "forest_fire",
            "森林消防",
            "forest fire-fighting",
            &[
                "森林消防队",
                "森林消防专业队",
                "扑火队",
                "森林扑火队",
                "专业扑火队",
                "半专业扑火队",
            ],
        ),
        v(
            "water",
            "水上救援",
            "water rescue",
            &[
                "水上救援队",
                "水域救援",
                "水域救援队",
                "防汛抢险队",
                "防汛抢险",
            ],
        ),
        v(
            "mountain",
            "山地救援",
            "mountain rescue",
            &["山地救援队", "山岳救援队"],
        ),
        v(
            "mine",
            "矿山救护",
            "mine rescue",
            &["矿山救护队", "矿山救援队", "矿山救援"],
        ),
        v(
            "medical",
            "医疗救护",
            "medical rescue",
            &[
                "医疗救护队",
                "医疗救援队",
                "卫生应急队",
                "急救站",
                "急救中心",
            ],
        ),
        v(
            "militia",
            "民兵应急",
            "militia emergency unit",
            &["民兵应急排", "民兵应急分队", "民兵应急连", "民兵"],
        ),
        v("other", "其他", "other", &["其它"]),
    ],
};

/// All value domains.
pub static DOMAINS: &[&Domain] = &[
    &ADMIN_LEVEL,
    &STRUCTURE,
    &FORTIFICATION,
    &SEISMIC_CATEGORY,
    &BUILDING_USE,
    &HIDDEN_DANGER_TYPE,
    &SCALE,
    &STABILITY,
    &MONITORING,
    &RELOCATION,
    &EVENT_TYPE,
    &FACILITY_KIND,
    &PROTECTED_SITE_KIND,
    &ROAD_CLASS,
    &LAND_COVER,
    &YES_NO,
    &SHELTER_TYPE,
    &TEAM_KIND,
];

// ---------------------------------------------------------------- common fields

const ID: Field = f("id", "编号", "identifier", Text).req().alias(&[
    "code",
    "编号",
    "编码",
    "代码",
    "bh",
    "objectid_1",
]);
const NAME: Field = f("name", "名称", "name", Text).alias(&["名称", "mc"]);
const NAME_REQ: Field = f("name", "名称", "name", Text).req().alias(&["名称", "mc"]);
/// Whether a dike or reservoir meets its flood-control standard (是否达标, GB
/// 50201-2014), as the water-works survey records it.
const MEETS_STANDARD: Field = f(
    "meets_standard",
    "是否达标",
    "meets its flood-control standard (dikes, reservoirs)",
    Code(&YES_NO),
)
.alias(&["达标", "是否达标", "防洪达标"]);

const TOWNSHIP: Field = f(
    "township",
    "所属乡镇(上报)",
    "township code as reported",
    Text,
)
.alias(&["town_code", "township_code", "乡镇", "所属乡镇", "xzqdm"]);

// ---------------------------------------------------------------- layers

/// Every census layer.
pub static LAYERS: &[Layer] = &[
    Layer {
        name: T::ADMIN_UNITS,
        zh: "行政区划",
        en: "admin units (county, township, village)",
        geometry: Geom::Any,
        // Code lists (code + name, no geometry) load; boundaries attach later.
        geometry_required: false,
        key: &["code"],
        fields: &[
            f("code", "行政区划代码", "admin code (6/9/12 digits)", Text)
                .req()
                .alias(&[
                    "adcode",
                    "gb",
                    "xzqdm",
                    "行政区划代码",
                    "统计用区划代码",
                    "区划代码",
                    "代码",
                    "id",
                ]),
            f("name", "名称", "name", Text).req().alias(&[
                "xzqmc",
                "名称",
                "区划名称",
                "行政区划名称",
            ]),
            f(
                "level",
                "级别",
                "level (from the code length if absent)",
                Code(&ADMIN_LEVEL),
            )
            .alias(&["级别"]),
            f(
                "parent_code",
                "上级代码",
                "parent admin code (from the code if absent)",
                Text,
            )
            .alias(&["parent", "township", "上级代码"]),
            f("kind", "类别", "kind (镇/街道/村委会/社区居委会)", Text).alias(&["类别", "类型"]),
            f("population", "人口", "population", Integer)
                .unit("persons")
                .range(0.0, 5.0e7),
            f(
                "gdp_wan",
                "地区生产总值",
                "gross domestic product of the unit, census base year",
                Real,
            )
            .unit("万元 (10⁴ CNY)")
            .range(0.0, 1.0e10)
            .alias(&["gdp", "GDP", "地区生产总值", "生产总值"]),
        ],
    },
    Layer {
        name: T::ADMIN_SEATS,
        zh: "行政驻地",
        en: "seats of government",
        geometry: Geom::Point,
        geometry_required: true,
        key: &["code"],
        fields: &[
            f("code", "行政区划代码", "admin code", Text)
                .req()
                .alias(&["代码"]),
            NAME_REQ,
            f("kind", "类别", "kind (县政府驻地/乡镇驻地)", Text),
        ],
    },
    Layer {
        name: T::BUILDINGS,
        zh: "房屋建筑",
        en: "buildings",
        geometry: Geom::Point,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME,
            TOWNSHIP,
            f("structure", "结构类型", "structure type", Code(&STRUCTURE))
                .req()
                .alias(&["jglx", "结构类型", "结构"]),
            f("storeys", "层数", "storeys above ground", Integer)
                .unit("storeys")
                .req()
                .range(1.0, 200.0)
                .alias(&["floors", "cs", "层数", "地上层数"]),
            f("year_built", "建成年份", "year built", Integer)
                .range(1800.0, 9999.0)
                .year()
                .alias(&["jcnd", "建成年代", "建造年代", "建成年份"]),
            f(
                "fortification",
                "抗震设防烈度",
                "seismic fortification intensity",
                Code(&FORTIFICATION),
            )
            .alias(&["kzsfld", "设防烈度", "抗震设防"]),
            f(
                "seismic_category",
                "抗震设防类别",
                "seismic fortification category (GB 50223-2008)",
                Code(&SEISMIC_CATEGORY),
            )
            .alias(&["抗震设防类别", "设防类别"]),
            f(
                "deformation",
                "变形损伤",
                "deformation or damage seen by the survey",
                Code(&YES_NO),
            )
            .alias(&["变形损伤", "有无变形损伤", "是否有变形损伤"]),
            f(
                "retrofitted",
                "是否抗震加固",
                "retrofitted for earthquakes",
                Code(&YES_NO),
            )
            .alias(&["是否抗震加固", "抗震加固", "是否加固"]),
            f("use", "用途", "use", Code(&BUILDING_USE)).alias(&["yt", "用途", "usage"]),
            f("occupants", "常住人数", "occupants", Integer)
                .unit("persons")
                .range(0.0, 100_000.0)
                .alias(&["人数", "常住人口"]),
            f("floor_area_m2", "建筑面积", "floor area", Real)
                .unit("m²")
                .range(1.0, 2.0e6)
                .alias(&["jzmj", "建筑面积", "area"]),
            f("value_wan", "重置价值", "replacement value", Real)
                .unit("万元 (10⁴ CNY)")
                .range(0.0, 1.0e7)
                .alias(&["重置价值", "value"]),
        ],
    },
    Layer {
        name: T::POPULATION,
        zh: "人口",
        en: "population per unit or grid cell",
        geometry: Geom::Any,
        geometry_required: false,
        key: &["unit_code", "year"],
        fields: &[
            f("unit_code", "单元代码", "admin code or grid cell id", Text)
                .req()
                .alias(&["code", "代码"]),
            f("year", "年份", "year", Integer)
                .req()
                .range(1950.0, 9999.0)
                .year(),
            f("population", "常住人口", "resident population", Integer)
                .req()
                .unit("persons")
                .range(0.0, 5.0e7)
                .alias(&["人口", "pop"]),
            f("households", "户数", "households", Integer).range(0.0, 2.0e7),
        ],
    },
    Layer {
        name: T::HIDDEN_DANGERS,
        zh: "地质灾害隐患点",
        en: "geological hidden-danger points",
        geometry: Geom::Point,
        geometry_required: true,
        key: &["id"],
        fields: &[
            f("id", "统一编号", "unified number", Text).req().alias(&[
                "zhdbh",
                "tybh",
                "统一编号",
                "编号",
                "code",
            ]),
            NAME,
            f("type", "灾害类型", "hazard type", Code(&HIDDEN_DANGER_TYPE))
                .req()
                .alias(&["zhlx", "灾害类型", "类型"]),
            f("scale", "规模等级", "scale", Code(&SCALE)).alias(&["gm", "规模"]),
            f("volume_m3", "体积", "volume", Real)
                .unit("m³")
                .range(0.0, 1.0e10)
                .alias(&["volume", "体积"]),
            f("stability", "稳定性", "stability", Code(&STABILITY)).alias(&["wdx", "稳定性"]),
            f("threat_pop", "威胁人数", "people threatened", Integer)
                .unit("persons")
                .range(0.0, 1.0e6)
                .alias(&["wxrs", "威胁人数"]),
            f("threat_value_wan", "威胁财产", "property threatened", Real)
                .unit("万元")
                .range(0.0, 1.0e8)
                .alias(&["threat_val", "wxcc", "威胁财产"]),
            f("monitoring", "监测状态", "monitoring", Code(&MONITORING)).alias(&[
                "monitor",
                "监测",
                "监测方式",
            ]),
            f("relocation", "搬迁避让", "relocation", Code(&RELOCATION)).alias(&[
                "bqbr",
                "搬迁避让",
                "搬迁",
            ]),
            TOWNSHIP,
        ],
    },
    Layer {
        name: T::DISASTER_EVENTS,
        zh: "历史灾害事件",
        en: "historical disaster events",
        geometry: Geom::Point,
        geometry_required: false,
        key: &["id"],
        fields: &[
            ID,
            f("date", "发生日期", "date", Date)
                .req()
                .alias(&["日期", "发生时间", "fssj"]),
            f("type", "灾种", "disaster type", Code(&EVENT_TYPE))
                .req()
                .alias(&["灾种", "灾害类型"]),
            TOWNSHIP,
            f("deaths", "死亡人数", "deaths", Integer)
                .unit("persons")
                .range(0.0, 1.0e6)
                .alias(&["死亡", "死亡人数"]),
            f("missing", "失踪人数", "missing", Integer)
                .unit("persons")
                .range(0.0, 1.0e6),
            f("affected", "受灾人口", "people affected", Integer)
                .unit("persons")
                .range(0.0, 1.0e8)
                .alias(&["受灾人口"]),
            f(
                "direct_loss_wan",
                "直接经济损失",
                "direct economic loss",
                Real,
            )
            .unit("万元")
            .range(0.0, 1.0e9)
            .alias(&["直接经济损失", "loss"]),
        ],
    },
    Layer {
        name: T::SHELTERS,
        zh: "应急避难场所",
        en: "emergency shelters",
        geometry: Geom::Point,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME_REQ,
            f("kind", "类型", "kind (广场/学校操场/公园/体育场…)", Text),
            f("level", "等级", "class (I/II/III类)", Text),
            f(
                "shelter_type",
                "避难场所类型",
                "shelter class (GB 51143-2015)",
                Code(&SHELTER_TYPE),
            )
            .alias(&["场所类型", "避难场所类别", "场所类别"]),
            f("area_m2", "有效面积", "effective area", Real)
                .unit("m²")
                .range(0.0, 1.0e8)
                .alias(&["面积", "有效面积"]),
            f("capacity", "容纳人数", "capacity", Integer)
                .req()
                .unit("persons")
                .range(0.0, 1.0e7)
                .alias(&["容纳人数"]),
            TOWNSHIP,
        ],
    },
    Layer {
        name: T::RESCUE_TEAMS,
        zh: "救援队伍和站点",
        en: "rescue teams and stations",
        geometry: Geom::Point,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME_REQ,
            f("kind", "类型", "team kind", Code(&TEAM_KIND)).alias(&[
                "队伍类型",
                "队伍类别",
                "类别",
            ]),
            TOWNSHIP,
            f("personnel", "人数", "personnel", Integer)
                .req()
                .unit("persons")
                .range(0.0, 1.0e5)
                .alias(&["人数"]),
            f("vehicles", "车辆", "vehicles", Integer).range(0.0, 1.0e4),
            f("equipment", "主要装备", "main equipment", Text).alias(&["装备"]),
        ],
    },
    Layer {
        name: T::MATERIAL_RESERVES,
        zh: "应急物资储备",
        en: "emergency material reserves",
        geometry: Geom::Point,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME_REQ,
            f("level", "级别", "level (县级/乡镇级)", Text),
            TOWNSHIP,
            f("tents", "帐篷", "tents", Integer)
                .unit("pieces")
                .range(0.0, 1.0e7),
            f("quilts", "棉被", "quilts", Integer)
                .unit("pieces")
                .range(0.0, 1.0e7),
            f("folding_beds", "折叠床", "folding beds", Integer)
                .unit("pieces")
                .range(0.0, 1.0e7),
            f("life_jackets", "救生衣", "life jackets", Integer)
                .unit("pieces")
                .range(0.0, 1.0e7),
            f("sandbags", "编织袋", "sandbags", Integer)
                .unit("pieces")
                .range(0.0, 1.0e9),
            f("pumps", "水泵", "pumps", Integer)
                .unit("pieces")
                .range(0.0, 1.0e6),
            f("generators", "发电机", "generators", Integer)
                .unit("pieces")
                .range(0.0, 1.0e6),
            f("food_t", "食品", "food", Real)
                .unit("t")
                .range(0.0, 1.0e7),
            f("water_t", "饮用水", "drinking water", Real)
                .unit("t")
                .range(0.0, 1.0e7),
        ],
    },
    Layer {
        name: T::COMMUNITY_CAPACITY,
        zh: "基层减灾能力",
        en: "grassroots disaster-reduction capacity (townships and villages)",
        geometry: Geom::None,
        geometry_required: false,
        key: &["code"],
        fields: &[
            f(
                "code",
                "行政区划代码",
                "admin code of the township (9 digits) or village (12)",
                Text,
            )
            .req()
            .alias(&[
                "行政区划代码",
                "统计用区划代码",
                "区划代码",
                "单位代码",
                "代码",
                "xzqdm",
                "adcode",
            ]),
            f("name", "名称", "name of the unit", Text).alias(&[
                "名称",
                "单位名称",
                "区划名称",
                "行政区划名称",
                "乡镇(街道)/村(社区)名称",
                "xzqmc",
                "mc",
            ]),
            f(
                "info_officers",
                "灾害信息员",
                "disaster information officers",
                Integer,
            )
            .unit("persons")
            .range(0.0, 10_000.0)
            .alias(&[
                "灾害信息员人数",
                "灾害信息员数量",
                "灾害信息员(人)",
                "信息员",
            ]),
            f(
                "emergency_plan",
                "应急预案",
                "emergency plan in force",
                Code(&YES_NO),
            )
            .alias(&["是否编制应急预案", "有无应急预案", "应急预案编制", "预案"]),
            f(
                "drills_per_year",
                "年度应急演练次数",
                "emergency drills in the survey year",
                Integer,
            )
            .unit("per year")
            .range(0.0, 365.0)
            .alias(&["应急演练次数", "演练次数", "年演练次数", "年度演练次数"]),
            f(
                "warning_coverage_pct",
                "预警信息覆盖率",
                "share of residents reached by warnings",
                Real,
            )
            .unit("%")
            .range(0.0, 100.0)
            .alias(&[
                "预警信息覆盖率(%)",
                "预警信息覆盖率（%）",
                "预警覆盖率",
                "预警覆盖率(%)",
            ]),
            f(
                "warning_broadcast",
                "应急广播/大喇叭",
                "emergency broadcast or loudspeakers",
                Code(&YES_NO),
            )
            .alias(&["应急广播", "大喇叭", "应急广播(大喇叭)", "是否有应急广播"]),
            f(
                "volunteers",
                "减灾志愿者",
                "disaster-reduction volunteers",
                Integer,
            )
            .unit("persons")
            .range(0.0, 1.0e6)
            .alias(&["减灾志愿者人数", "减灾志愿者(人)", "志愿者人数", "志愿者"]),
            f(
                "demo_community",
                "综合减灾示范社区",
                "named a comprehensive disaster-reduction demonstration community",
                Code(&YES_NO),
            )
            .alias(&["是否综合减灾示范社区", "示范社区", "减灾示范社区"]),
            f(
                "risk_map",
                "灾害风险隐患图/清单",
                "disaster risk and hidden-danger map or list",
                Code(&YES_NO),
            )
            .alias(&[
                "灾害风险隐患图",
                "灾害风险隐患清单",
                "风险隐患图",
                "隐患清单",
                "风险地图",
            ]),
            f("survey_year", "调查年份", "year of the survey", Integer)
                .range(2000.0, 9999.0)
                .year()
                .alias(&["调查年度", "填报年份", "年份"]),
        ],
    },
    Layer {
        name: T::KEY_FACILITIES,
        zh: "重点设施",
        en: "key facilities (schools, hospitals, chemical plants, reservoirs, dikes)",
        geometry: Geom::Any,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME_REQ,
            f("kind", "类型", "kind", Code(&FACILITY_KIND))
                .req()
                .alias(&["类型"]),
            f("capacity", "规模", "capacity (in capacity_unit)", Real).range(0.0, 1.0e12),
            f(
                "capacity_unit",
                "规模单位",
                "unit of capacity (学生/床位/吨危化品/万立方米/年一遇)",
                Text,
            ),
            MEETS_STANDARD,
            TOWNSHIP,
        ],
    },
    Layer {
        name: T::RESERVOIRS,
        zh: "水库",
        en: "reservoirs",
        geometry: Geom::Any,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME_REQ,
            f("scale", "规模", "scale (大/中/小(1)/小(2)型)", Text),
            f("capacity_wan_m3", "总库容", "total capacity", Real)
                .unit("万m³")
                .range(0.0, 1.0e7),
            f("normal_level_m", "正常蓄水位", "normal water level", Real)
                .unit("m")
                .range(-500.0, 9000.0),
            f("dam_height_m", "坝高", "dam height", Real)
                .unit("m")
                .range(0.0, 400.0),
            MEETS_STANDARD,
            TOWNSHIP,
        ],
    },
    Layer {
        name: T::RIVERS,
        zh: "河流",
        en: "rivers",
        geometry: Geom::Line,
        geometry_required: true,
        key: &["id"],
        fields: &[
            f("id", "河流编码", "river code", Text).req().alias(&[
                "hycd",
                "code",
                "河流编码",
                "编码",
            ]),
            NAME,
            f("grade", "等级", "grade (干流/一级支流…)", Text).alias(&["等级"]),
            f("length_km", "长度", "length", Real)
                .unit("km")
                .range(0.0, 10_000.0),
            f("width_m", "宽度", "width", Real)
                .unit("m")
                .range(0.0, 50_000.0),
        ],
    },
    Layer {
        name: T::FAULTS,
        zh: "断层",
        en: "faults",
        geometry: Geom::Line,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME,
            f("kind", "性质", "kind (正断层/逆断层/走滑…)", Text),
            f(
                "activity",
                "活动性",
                "activity (age of latest movement)",
                Text,
            ),
            f("strike", "走向", "strike", Text),
            f("dip", "倾向倾角", "dip", Text),
            f("length_km", "长度", "length", Real)
                .unit("km")
                .range(0.0, 5_000.0),
        ],
    },
    Layer {
        name: T::ROADS,
        zh: "道路",
        en: "roads",
        geometry: Geom::Line,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME,
            f("class", "技术等级", "road class", Code(&ROAD_CLASS)).alias(&["等级", "grade"]),
            f("width_m", "路面宽度", "width", Real)
                .unit("m")
                .range(0.0, 200.0),
            f("lanes", "车道数", "lanes", Integer).range(1.0, 20.0),
            f("surface", "路面类型", "surface", Text),
        ],
    },
    Layer {
        name: T::LITHOLOGY,
        zh: "工程地质岩组",
        en: "lithology (engineering rock groups)",
        geometry: Geom::Polygon,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME,
            f("lithology", "岩性", "lithology", Text),
            f(
                "ucs_mpa",
                "单轴抗压强度",
                "uniaxial compressive strength class",
                Text,
            )
            .unit("MPa"),
        ],
    },
    Layer {
        name: T::LAND_COVER,
        zh: "土地覆盖",
        en: "land cover",
        geometry: Geom::Polygon,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            f("class", "地类", "class (GlobeLand30)", Code(&LAND_COVER)).req(),
        ],
    },
    Layer {
        name: T::SEISMIC_ZONES,
        zh: "地震动参数区划",
        en: "seismic ground-motion zones",
        geometry: Geom::Polygon,
        geometry_required: true,
        key: &["pga_g"],
        fields: &[
            f("pga_g", "峰值加速度", "peak ground acceleration", Real)
                .req()
                .unit("g")
                .range(0.0, 2.0)
                .alias(&["pga"]),
            f("intensity", "基本烈度", "basic intensity (VI–IX)", Text),
            f("tg_s", "特征周期", "characteristic period", Real)
                .unit("s")
                .range(0.0, 2.0),
            f("source", "来源", "source", Text),
        ],
    },
    Layer {
        name: T::WEATHER_DAILY,
        zh: "气象站日值",
        en: "weather-station daily series",
        geometry: Geom::Point,
        geometry_required: false,
        key: &["station", "date"],
        fields: &[
            f("station", "站号", "station id", Text)
                .req()
                .alias(&["站号", "stid"]),
            f("date", "日期", "date", Date).req().alias(&["日期"]),
            f("month", "月", "month", Integer).range(1.0, 12.0),
            f("elevation", "海拔", "station elevation", Real)
                .unit("m")
                .range(-500.0, 9000.0),
            f("temp_c", "日平均气温", "daily mean temperature", Real)
                .unit("°C")
                .range(-70.0, 60.0),
            f("rh_pct", "相对湿度", "relative humidity", Real)
                .unit("%")
                .range(0.0, 100.0),
            f("wind_kmh", "平均风速", "mean wind speed", Real)
                .unit("km/h")
                .range(0.0, 400.0),
            f("rain_mm", "日降水量", "24 h precipitation", Real)
                .unit("mm")
                .range(0.0, 2000.0),
        ],
    },
    Layer {
        name: T::FIRE_POINTS,
        zh: "火点",
        en: "fire points (historical fires and hot spots)",
        geometry: Geom::Point,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            f("date", "日期", "date", Date).req().alias(&["日期"]),
            TOWNSHIP,
            f("kind", "类型", "kind (森林火灾/森林火情/卫星热点)", Text),
            f("cause", "起火原因", "cause", Text),
            f("burned_area_ha", "过火面积", "burned area", Real)
                .unit("ha")
                .range(0.0, 1.0e7),
        ],
    },
    Layer {
        name: T::PROTECTED_SITES,
        zh: "保护地",
        en: "protected sites (heritage sites, scenic areas, nature reserves, forest parks)",
        geometry: Geom::Polygon,
        geometry_required: true,
        key: &["id"],
        fields: &[
            ID,
            NAME_REQ,
            f("kind", "类型", "kind", Code(&PROTECTED_SITE_KIND))
                .req()
                .alias(&["类型", "保护地类型"]),
            f("level", "级别", "level (国家级/省级/市级/县级)", Text).alias(&["级别"]),
        ],
    },
];

/// The layer named `name` (a table name such as `buildings`).
pub fn layer(name: &str) -> Option<&'static Layer> {
    LAYERS.iter().find(|l| l.name == name)
}

/// Names of all layers.
pub fn layer_names() -> Vec<&'static str> {
    LAYERS.iter().map(|l| l.name).collect()
}

/// Columns every spatial table gets beside the schema fields.
pub const SYSTEM_FIELDS: &[(&str, &str)] = &[
    (
        "township_code",
        "township (乡镇/街道) containing the record, by point-in-polygon",
    ),
    ("village_code", "village (村/社区) of the record"),
    (
        "record_hash",
        "SHA-256 (first 128 bits, hex) of the normalised record",
    ),
    (
        "batch_id",
        "the batch that last inserted or changed the record",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_keys_exist() {
        let mut seen = std::collections::BTreeSet::new();
        for l in LAYERS {
            assert!(seen.insert(l.name), "{}", l.name);
            let mut fields = std::collections::BTreeSet::new();
            for f in l.fields {
                assert!(fields.insert(f.name), "{}.{}", l.name, f.name);
                assert!(
                    f.name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{}",
                    f.name
                );
                assert!(!SYSTEM_FIELDS.iter().any(|(s, _)| *s == f.name));
            }
            for k in l.key {
                let f = l.field(k).unwrap_or_else(|| panic!("{}: key {k}", l.name));
                assert!(f.required, "{}: key {k} must be required", l.name);
            }
        }
    }

    #[test]
    fn domains_accept_codes_labels_and_aliases() {
        assert_eq!(STRUCTURE.lookup("钢筋混凝土框架"), Some("rc_frame"));
        assert_eq!(STRUCTURE.lookup(" brick_concrete "), Some("brick_concrete"));
        assert_eq!(FORTIFICATION.lookup("VIII"), Some("viii"));
        assert_eq!(FORTIFICATION.lookup("未设防"), Some("none"));
        assert_eq!(FORTIFICATION.lookup("7度（0.15g）"), Some("vii_015g"));
        assert_eq!(FORTIFICATION.lookup("8度(0.30g)"), Some("viii_030g"));
        assert_eq!(FORTIFICATION.lookup("8度(0.20g)"), Some("viii"));
        assert_eq!(SEISMIC_CATEGORY.lookup("乙类"), Some("b"));
        assert_eq!(SEISMIC_CATEGORY.lookup("丁"), Some("d"));
        assert_eq!(HIDDEN_DANGER_TYPE.lookup("滑破"), None);
        for d in DOMAINS {
            let mut codes = std::collections::BTreeSet::new();
            for v in d.values {
                assert!(codes.insert(v.code), "{}: {}", d.name, v.code);
                // Every spelling reaches its own value: none is shadowed by an
                // earlier value's spelling.
                for s in [v.code, v.zh, v.en].iter().chain(v.aliases) {
                    assert_eq!(d.lookup(s), Some(v.code), "{}: {s}", d.name);
                }
            }
        }
    }

    #[test]
    fn yes_no_reads_ticks_digits_and_the_forms_own_words() {
        for s in ["是", "有", "Y", "y", "1", "TRUE", "已编制", "√", " yes "] {
            assert_eq!(YES_NO.lookup(s), Some("yes"), "{s}");
        }
        for s in ["否", "无", "N", "0", "false", "未编制", "没有"] {
            assert_eq!(YES_NO.lookup(s), Some("no"), "{s}");
        }
        assert_eq!(YES_NO.lookup("2"), None);
        assert_eq!(YES_NO.lookup("不详"), None);
    }

    #[test]
    fn shelter_classes_of_gb_51143_and_the_unspecified_fixed_shelter() {
        assert_eq!(SHELTER_TYPE.lookup("紧急避难场所"), Some("emergency"));
        assert_eq!(SHELTER_TYPE.lookup("长期固定"), Some("fixed_long"));
        assert_eq!(
            SHELTER_TYPE.lookup("中期固定避难场所"),
            Some("fixed_medium")
        );
        assert_eq!(SHELTER_TYPE.lookup("中心避难场所"), Some("central"));
        // A fixed shelter of unknown term: the least equipped fixed class.
        assert_eq!(SHELTER_TYPE.lookup("固定避难场所"), Some("fixed_short"));
        // GB 21734's I/II/III类 is the `level` field, not a shelter type.
        assert_eq!(SHELTER_TYPE.lookup("I类"), None);
    }

    #[test]
    fn team_kinds_read_the_names_teams_go_by() {
        for (s, code) in [
            ("消防救援站", "fire"),
            ("消防救援大队", "fire"),
            ("专职消防队", "fire"),
            ("志愿消防队", "fire"),
            ("森林消防队", "forest_fire"),
            ("扑火队", "forest_fire"),
            ("防汛抢险队", "water"),
            ("水上救援队", "water"),
            ("山地救援", "mountain"),
            ("矿山救护队", "mine"),
            ("医疗救护", "medical"),
            ("民兵应急排", "militia"),
            ("民兵应急分队", "militia"),
            ("其它", "other"),
        ] {
            assert_eq!(TEAM_KIND.lookup(s), Some(code), "{s}");
        }
        assert_eq!(TEAM_KIND.lookup("专业队伍"), None);
    }

    /// The engine is written against these names: a rename must be deliberate.
    #[test]
    fn community_capacity_fields_are_the_engines() {
        let l = layer(T::COMMUNITY_CAPACITY).unwrap();
        let names: Vec<&str> = l.fields.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "code",
                "name",
                "info_officers",
                "emergency_plan",
                "drills_per_year",
                "warning_coverage_pct",
                "warning_broadcast",
                "volunteers",
                "demo_community",
                "risk_map",
                "survey_year"
            ]
        );
        assert_eq!((l.geometry, l.key), (Geom::None, &["code"][..]));
        for f in [
            "emergency_plan",
            "warning_broadcast",
            "demo_community",
            "risk_map",
        ] {
            assert_eq!(l.field(f).unwrap().kind, Code(&YES_NO), "{f}");
        }
        assert!(l.field("survey_year").unwrap().year);
        assert_eq!(
            l.field("warning_coverage_pct").unwrap().range,
            Some((0.0, 100.0))
        );
    }
}

#[cfg(test)]
mod contract_tests {
    /// The schema gives fields to exactly the census tables the contract names.
    #[test]
    fn schema_layers_are_the_contract_tables() {
        assert_eq!(
            super::layer_names(),
            riskcensus_contracts::tables::census::ALL.to_vec()
        );
    }
}
