//! The groups and roles every negotiation has. Country names come from `rust_iso3166`.

use super::ActorKind;

/// (code, name, kind, aliases as drafts write them)
pub(super) const GROUPS_AND_ROLES: &[(&str, &str, ActorKind, &[&str])] = &[
    (
        "Chair",
        "Chair",
        ActorKind::Role,
        &["Chairperson", "Chairs"],
    ),
    (
        "ViceChair",
        "Vice-Chair",
        ActorKind::Role,
        &["Vice-Chair", "VC"],
    ),
    (
        "CoFac",
        "Co-facilitators",
        ActorKind::Role,
        &[
            "CoFacs",
            "Co-fac",
            "Co-facs",
            "Co-facilitator",
            "Co-facilitators",
            "Cofacilitators",
            "Facilitator",
            "Facilitators",
        ],
    ),
    (
        "Secretariat",
        "Secretariat",
        ActorKind::Role,
        &["Secr", "Sec", "Secretariats"],
    ),
    ("Bureau", "Bureau", ActorKind::Role, &[]),
    ("President", "President", ActorKind::Role, &["PGA"]),
    ("EU", "European Union", ActorKind::Group, &["EUMS"]),
    (
        "G77",
        "Group of 77 and China",
        ActorKind::Group,
        &["G-77", "G77China", "G77/China", "G77&China"],
    ),
    (
        "AGN",
        "African Group",
        ActorKind::Group,
        &["AfGroup", "AfricanGroup", "AFG-Group"],
    ),
    ("ARAB", "Arab Group", ActorKind::Group, &["ArabGroup"]),
    (
        "LDC",
        "Least Developed Countries",
        ActorKind::Group,
        &["LDCs"],
    ),
    (
        "LLDC",
        "Landlocked Developing Countries",
        ActorKind::Group,
        &["LLDCs"],
    ),
    (
        "SIDS",
        "Small Island Developing States",
        ActorKind::Group,
        &[],
    ),
    (
        "AOSIS",
        "Alliance of Small Island States",
        ActorKind::Group,
        &[],
    ),
    (
        "LMDC",
        "Like-Minded Developing Countries",
        ActorKind::Group,
        &[],
    ),
    (
        "GRULAC",
        "Latin American and Caribbean Group",
        ActorKind::Group,
        &[],
    ),
    (
        "WEOG",
        "Western European and Others Group",
        ActorKind::Group,
        &[],
    ),
    ("EEG", "Eastern European Group", ActorKind::Group, &[]),
    ("APG", "Asia-Pacific Group", ActorKind::Group, &[]),
    (
        "EIG",
        "Environmental Integrity Group",
        ActorKind::Group,
        &[],
    ),
    ("UG", "Umbrella Group", ActorKind::Group, &[]),
    ("CARICOM", "Caribbean Community", ActorKind::Group, &[]),
    (
        "ASEAN",
        "Association of Southeast Asian Nations",
        ActorKind::Group,
        &[],
    ),
    (
        "OIC",
        "Organisation of Islamic Cooperation",
        ActorKind::Group,
        &[],
    ),
    ("NAM", "Non-Aligned Movement", ActorKind::Group, &[]),
    (
        "AILAC",
        "Independent Association of Latin America and the Caribbean",
        ActorKind::Group,
        &[],
    ),
    (
        "ALBA",
        "Bolivarian Alliance for the Peoples of Our America",
        ActorKind::Group,
        &[],
    ),
    (
        "CELAC",
        "Community of Latin American and Caribbean States",
        ActorKind::Group,
        &[],
    ),
    ("JUSCANZ", "JUSCANZ", ActorKind::Group, &["JUSSCANNZ"]),
    (
        "BASIC",
        "Brazil, South Africa, India and China",
        ActorKind::Group,
        &[],
    ),
];

/// Codes drafts use for countries that are not the ISO alpha-3 code.
pub(super) const COUNTRY_ALIASES: &[(&str, &str)] = &[("UK", "GBR")];

/// The names used in UN documents where the ISO short name reads oddly in a report.
pub(super) fn country_name(alpha3: &str, iso_name: &'static str) -> &'static str {
    match alpha3 {
        "PSE" => "State of Palestine",
        "GBR" => "United Kingdom",
        "RUS" => "Russian Federation",
        "TZA" => "United Republic of Tanzania",
        "KOR" => "Republic of Korea",
        "PRK" => "Democratic People's Republic of Korea",
        "IRN" => "Iran (Islamic Republic of)",
        "SYR" => "Syrian Arab Republic",
        "VEN" => "Venezuela (Bolivarian Republic of)",
        "BOL" => "Bolivia (Plurinational State of)",
        "VNM" => "Viet Nam",
        "LAO" => "Lao People's Democratic Republic",
        "MDA" => "Republic of Moldova",
        "COD" => "Democratic Republic of the Congo",
        "NLD" => "Netherlands (Kingdom of the)",
        "TUR" => "Türkiye",
        _ => iso_name,
    }
}
