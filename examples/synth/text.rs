//! Word banks for synthetic drafts: who negotiates, where, about what, and the formulas
//! resolutions are made of. Plain data; `generator.rs` assembles it.

/// About sixty delegations, ISO 3166-1 alpha-3 codes known to `brackets::actors`.
pub const DELEGATIONS: [&str; 60] = [
    "USA", "FRA", "GBR", "DEU", "JPN", "CAN", "AUS", "NZL", "NOR", "CHE", "RUS", "CHN", "IND",
    "BRA", "ZAF", "EGY", "SAU", "IRN", "PAK", "MEX", "ARG", "CHL", "CRI", "COL", "PER", "KEN",
    "NGA", "ETH", "TZA", "SEN", "MAR", "DZA", "TUR", "IDN", "MYS", "PHL", "THA", "VNM", "KOR",
    "SGP", "ISR", "UKR", "POL", "SWE", "FIN", "DNK", "NLD", "BEL", "ITA", "ESP", "PRT", "IRL",
    "AUT", "CUB", "VEN", "BOL", "NIC", "BGD", "LKA", "QAT",
];

/// Negotiating groups (built-in codes of `brackets::actors`).
pub const GROUPS: [&str; 10] = [
    "EU", "G77", "AGN", "ARAB", "LDC", "SIDS", "AOSIS", "CARICOM", "JUSCANZ", "LLDC",
];

/// (folder, chapeau, body, time-zone offset in minutes, secretariat name, secretariat email)
pub const BODIES: [(&str, &str, &str, i32, &str, &str); 5] = [
    (
        "unea",
        "The United Nations Environment Assembly,",
        "United Nations Environment Assembly of the United Nations Environment Programme, seventh session, Nairobi",
        180,
        "UNEP Secretariat",
        "secretariat@environment-assembly.example",
    ),
    (
        "habitat",
        "The United Nations Habitat Assembly,",
        "United Nations Habitat Assembly of the United Nations Human Settlements Programme, third session, Nairobi",
        180,
        "UN-Habitat Secretariat",
        "secretariat@habitat-assembly.example",
    ),
    (
        "second-committee",
        "The General Assembly,",
        "General Assembly, eighty-first session, Second Committee, agenda item 18",
        -300,
        "Secretariat of the Second Committee",
        "second-committee@un-assembly.example",
    ),
    (
        "hrc",
        "The Human Rights Council,",
        "Human Rights Council, sixty-second session, Geneva",
        60,
        "OHCHR Secretariat",
        "hrc-secretariat@council.example",
    ),
    (
        "wha",
        "The World Health Assembly,",
        "Seventy-ninth World Health Assembly, Geneva, provisional agenda item 13",
        60,
        "WHO Governing Bodies Secretariat",
        "governing-bodies@health-assembly.example",
    ),
];

/// Chairs and facilitators: (name, email).
pub const CHAIRS: [(&str, &str); 8] = [
    (
        "Ambassador Mariana Ekwueme (Chair)",
        "chair.informals@assembly.example",
    ),
    (
        "Ambassador Lars Holmqvist (Co-facilitator)",
        "cofac.holmqvist@assembly.example",
    ),
    (
        "Ambassador Nomvula Dlamini (Co-facilitator)",
        "cofac.dlamini@assembly.example",
    ),
    (
        "Ms. Ana Lucia Ferreira (Chair)",
        "chair.ferreira@assembly.example",
    ),
    (
        "Mr. Hiroshi Tanabe (Facilitator)",
        "facilitator.tanabe@assembly.example",
    ),
    (
        "Ambassador Rania Haddad (Chair)",
        "chair.haddad@assembly.example",
    ),
    (
        "Mr. Tomasz Wilk (Co-facilitator)",
        "cofac.wilk@assembly.example",
    ),
    (
        "Ambassador Aroha Ngata (Chair)",
        "chair.ngata@assembly.example",
    ),
];

/// Subjects of resolutions: (title, slug, three key phrases).
pub const TOPICS: [(&str, &str, [&str; 3]); 40] = [
    (
        "People-centred smart cities",
        "smart-cities",
        [
            "digital public infrastructure",
            "urban data governance",
            "smart city strategies",
        ],
    ),
    (
        "Sustainable urban mobility",
        "urban-mobility",
        [
            "public transport systems",
            "non-motorized mobility",
            "road safety",
        ],
    ),
    (
        "Adequate housing for all",
        "adequate-housing",
        [
            "affordable housing",
            "security of tenure",
            "informal settlements",
        ],
    ),
    (
        "Plastic pollution",
        "plastic-pollution",
        [
            "the full life cycle of plastics",
            "marine litter",
            "extended producer responsibility",
        ],
    ),
    (
        "Sound management of chemicals and waste",
        "chemicals-and-waste",
        [
            "hazardous chemicals",
            "waste management systems",
            "the circular economy",
        ],
    ),
    (
        "Ocean and coastal ecosystems",
        "oceans",
        [
            "marine protected areas",
            "coastal ecosystems",
            "the blue economy",
        ],
    ),
    (
        "Sustainable consumption and production",
        "sustainable-consumption",
        [
            "resource efficiency",
            "sustainable lifestyles",
            "green public procurement",
        ],
    ),
    (
        "Land degradation and drought",
        "land-degradation",
        [
            "land degradation neutrality",
            "drought resilience",
            "sustainable land management",
        ],
    ),
    (
        "Biodiversity and ecosystem restoration",
        "biodiversity",
        [
            "ecosystem restoration",
            "invasive alien species",
            "biodiversity finance",
        ],
    ),
    (
        "Air quality",
        "air-quality",
        [
            "ambient air pollution",
            "air quality monitoring",
            "clean cooking solutions",
        ],
    ),
    (
        "Water for sustainable development",
        "water",
        [
            "integrated water resources management",
            "access to safe drinking water",
            "transboundary waters",
        ],
    ),
    (
        "Disaster risk reduction",
        "disaster-risk-reduction",
        [
            "early warning systems",
            "resilient infrastructure",
            "disaster risk financing",
        ],
    ),
    (
        "Financing for development",
        "financing-for-development",
        [
            "domestic resource mobilization",
            "debt sustainability",
            "official development assistance",
        ],
    ),
    (
        "International trade and development",
        "trade-and-development",
        [
            "the multilateral trading system",
            "trade facilitation",
            "market access",
        ],
    ),
    (
        "Science, technology and innovation for development",
        "science-technology",
        [
            "technology transfer",
            "digital skills",
            "innovation ecosystems",
        ],
    ),
    (
        "Eradication of poverty",
        "poverty-eradication",
        [
            "social protection floors",
            "decent work",
            "financial inclusion",
        ],
    ),
    (
        "Agriculture development and food security",
        "food-security",
        [
            "sustainable food systems",
            "smallholder farmers",
            "food loss and waste",
        ],
    ),
    (
        "Women in development",
        "women-in-development",
        [
            "women's economic empowerment",
            "unpaid care and domestic work",
            "equal pay for work of equal value",
        ],
    ),
    (
        "Culture and sustainable development",
        "culture",
        [
            "cultural heritage",
            "creative industries",
            "cultural diversity",
        ],
    ),
    (
        "Sustainable tourism",
        "sustainable-tourism",
        ["community-based tourism", "ecotourism", "tourism recovery"],
    ),
    (
        "Right to privacy in the digital age",
        "right-to-privacy",
        [
            "the right to privacy",
            "surveillance technologies",
            "personal data protection",
        ],
    ),
    (
        "Freedom of expression",
        "freedom-of-expression",
        [
            "freedom of opinion and expression",
            "the safety of journalists",
            "access to information",
        ],
    ),
    (
        "Rights of the child",
        "rights-of-the-child",
        [
            "child protection systems",
            "birth registration",
            "children in armed conflict",
        ],
    ),
    (
        "Human rights and climate change",
        "climate-human-rights",
        [
            "the adverse effects of climate change",
            "climate-induced displacement",
            "a clean, healthy and sustainable environment",
        ],
    ),
    (
        "Rights of persons with disabilities",
        "persons-with-disabilities",
        [
            "accessibility",
            "inclusive education",
            "reasonable accommodation",
        ],
    ),
    (
        "Right to education",
        "right-to-education",
        [
            "inclusive and equitable quality education",
            "school infrastructure",
            "lifelong learning",
        ],
    ),
    (
        "Human rights of migrants",
        "human-rights-of-migrants",
        [
            "safe, orderly and regular migration",
            "migrants in vulnerable situations",
            "alternatives to detention",
        ],
    ),
    (
        "Contemporary forms of slavery",
        "contemporary-slavery",
        [
            "forced labour",
            "trafficking in persons",
            "supply chain due diligence",
        ],
    ),
    (
        "Independence of judges and lawyers",
        "independence-of-judges",
        ["judicial independence", "legal aid", "access to justice"],
    ),
    (
        "Right to food",
        "right-to-food",
        [
            "the right to adequate food",
            "malnutrition in all its forms",
            "school feeding programmes",
        ],
    ),
    (
        "Universal health coverage",
        "universal-health-coverage",
        [
            "primary health care",
            "financial risk protection",
            "the health workforce",
        ],
    ),
    (
        "Antimicrobial resistance",
        "antimicrobial-resistance",
        [
            "antimicrobial stewardship",
            "surveillance of resistance",
            "access to antimicrobials",
        ],
    ),
    (
        "Pandemic prevention, preparedness and response",
        "pandemic-preparedness",
        [
            "pathogen surveillance",
            "equitable access to countermeasures",
            "health emergency financing",
        ],
    ),
    (
        "Noncommunicable diseases",
        "noncommunicable-diseases",
        ["tobacco control", "healthy diets", "mental health services"],
    ),
    (
        "Climate change and health",
        "climate-and-health",
        [
            "climate-resilient health systems",
            "heat-health action plans",
            "low-carbon health care",
        ],
    ),
    (
        "Digital health",
        "digital-health",
        [
            "digital health interventions",
            "health data interoperability",
            "telemedicine",
        ],
    ),
    (
        "Mental health and psychosocial support",
        "mental-health",
        [
            "community-based mental health services",
            "suicide prevention",
            "psychosocial support",
        ],
    ),
    (
        "Road traffic injuries",
        "road-safety",
        [
            "road traffic injuries",
            "safe and sustainable transport",
            "post-crash care",
        ],
    ),
    (
        "Local and regional governments",
        "local-governments",
        [
            "multilevel governance",
            "municipal finance",
            "localization of the Goals",
        ],
    ),
    (
        "Urban-rural linkages",
        "urban-rural-linkages",
        [
            "territorial development",
            "secondary cities",
            "rural-urban migration",
        ],
    ),
];

/// Preambular openers (all read as preambular by the parser).
pub const PP_OPENERS: [&str; 22] = [
    "Recalling",
    "Recalling also",
    "Reaffirming",
    "Reaffirming also",
    "Recognizing",
    "Recognizing also",
    "Noting",
    "Noting with concern",
    "Noting with appreciation",
    "Emphasizing",
    "Stressing",
    "Mindful",
    "Acknowledging",
    "Welcoming",
    "Concerned",
    "Deeply concerned",
    "Taking note with appreciation of",
    "Bearing in mind",
    "Expressing concern",
    "Convinced",
    "Underlining",
    "Guided by",
];

/// Operative openers.
pub const OP_OPENERS: [&str; 20] = [
    "Encourages Member States to",
    "Requests the Executive Director to",
    "Invites Member States and other stakeholders to",
    "Calls upon Member States to",
    "Urges all States to",
    "Decides to",
    "Welcomes the efforts of Member States to",
    "Emphasizes the need to",
    "Stresses the importance of efforts to",
    "Recommends that Member States",
    "Requests the Secretary-General to",
    "Invites international financial institutions to",
    "Encourages relevant United Nations entities to",
    "Calls upon development partners to",
    "Requests the Director-General to",
    "Invites the regional commissions to",
    "Encourages local and regional governments to",
    "Urges Member States, in cooperation with relevant stakeholders, to",
    "Requests the High Commissioner to",
    "Invites interested Member States to",
];

pub const VERBS: [&str; 16] = [
    "strengthen",
    "promote",
    "support",
    "develop and implement",
    "enhance",
    "mainstream",
    "scale up",
    "facilitate",
    "integrate",
    "foster",
    "review and update",
    "mobilize resources for",
    "monitor",
    "improve",
    "ensure",
    "accelerate",
];

pub const GERUNDS: [&str; 12] = [
    "Strengthening",
    "Promoting",
    "Supporting",
    "Developing and implementing",
    "Enhancing",
    "Mainstreaming",
    "Scaling up",
    "Facilitating",
    "Integrating",
    "Fostering",
    "Reviewing and updating",
    "Monitoring",
];

pub const OBJECTS: [&str; 24] = [
    "national policies and regulatory frameworks",
    "capacity-building programmes",
    "international cooperation and partnerships",
    "the collection of disaggregated data",
    "evidence-based planning and decision-making",
    "the exchange of good practices and lessons learned",
    "the meaningful participation of all stakeholders",
    "technical assistance to developing countries",
    "integrated and multisectoral approaches",
    "public awareness and education",
    "monitoring and reporting mechanisms",
    "regional and subregional cooperation",
    "South-South and triangular cooperation",
    "inclusive and accountable institutions",
    "the implementation of existing commitments",
    "access to finance and technology",
    "coordination across all levels of government",
    "voluntary national reviews",
    "research and innovation",
    "the role of the private sector",
    "community-led initiatives",
    "gender-responsive budgeting",
    "the resilience of vulnerable communities",
    "policy coherence for sustainable development",
];

pub const QUALIFIERS: [&str; 24] = [
    "in accordance with national legislation and priorities",
    "as appropriate",
    "taking into account different national realities, capacities and levels of development",
    "in particular in developing countries",
    "within existing resources",
    "subject to the availability of extrabudgetary resources",
    "in line with the 2030 Agenda for Sustainable Development",
    "in close consultation with Member States",
    "with particular attention to people in vulnerable situations",
    "including women and girls, youth and persons with disabilities",
    "at the local, national, regional and global levels",
    "through a whole-of-government and whole-of-society approach",
    "on voluntary and mutually agreed terms",
    "in a transparent and inclusive manner",
    "building on existing mechanisms and avoiding duplication",
    "with the support of relevant United Nations entities",
    "in cooperation with international and regional organizations",
    "consistent with international law",
    "upon the request of Member States",
    "in an integrated and coordinated manner",
    "including least developed countries and small island developing States",
    "respecting the policy space of each country",
    "in full respect for human rights",
    "including through public-private partnerships",
];

pub const PP_CLAUSES: [&str; 20] = [
    "that {k} is essential to the achievement of the Sustainable Development Goals",
    "the importance of {k} for sustainable development and the eradication of poverty",
    "that progress on {k} remains uneven within and among countries",
    "the commitments made on {k} in the outcomes of major United Nations conferences and summits",
    "that the lack of reliable data on {k} hampers effective policymaking",
    "the contribution of {k} to resilience, inclusion and shared prosperity",
    "the work undertaken by the United Nations system on {k}",
    "that {k} requires sustained political commitment and adequate means of implementation",
    "the need to address the linkages between {k} and {k2}",
    "the role of subnational and local governments in advancing {k}",
    "the disproportionate impact of shortfalls in {k} on the poorest and most vulnerable",
    "that partnerships among Governments, civil society and the private sector can advance {k}",
    "the report of the Secretary-General on {k}",
    "that international cooperation on {k} should respect national ownership",
    "the persistent financing gap for {k} in developing countries",
    "the relevant provisions of the New Urban Agenda and the Addis Ababa Action Agenda on {k}",
    "that emerging technologies offer new opportunities and risks for {k}",
    "the need for coherent action on {k} across the pillars of the United Nations",
    "its previous resolutions and decisions on {k}",
    "the outcome of the high-level meeting on {k}",
];

pub const REFERENCES: [&str; 10] = [
    "General Assembly resolution 70/1 of 25 September 2015, entitled \"Transforming our world: the 2030 Agenda for Sustainable Development\"",
    "the Addis Ababa Action Agenda of the Third International Conference on Financing for Development",
    "the Paris Agreement adopted under the United Nations Framework Convention on Climate Change",
    "the Sendai Framework for Disaster Risk Reduction 2015-2030",
    "the New Urban Agenda, endorsed by the General Assembly in its resolution 71/256 of 23 December 2016",
    "the Universal Declaration of Human Rights and the International Covenants on Human Rights",
    "the Pact for the Future and its annexes, including the Global Digital Compact",
    "the Kunming-Montreal Global Biodiversity Framework",
    "the political declaration of the high-level political forum on sustainable development convened under the auspices of the General Assembly",
    "the Convention on the Rights of Persons with Disabilities",
];

/// Text delegations propose to add (`[, ...]`).
pub const ADDITIONS: [&str; 24] = [
    "in accordance with national legislation",
    "in particular in developing countries",
    "including through the transfer of technology on voluntary and mutually agreed terms",
    "in full respect for human rights and fundamental freedoms",
    "taking into account national circumstances",
    "with the provision of new and additional financial resources",
    "in line with the principle of common but differentiated responsibilities",
    "including women and girls in all their diversity",
    "while respecting national sovereignty",
    "including through public-private partnerships and blended finance",
    "within existing resources",
    "as appropriate",
    "and the special needs of African countries",
    "with the meaningful participation of civil society",
    "consistent with obligations under international human rights law",
    "including Indigenous Peoples and local communities",
    "and avoiding unnecessary burdens on developing countries",
    "in line with relevant World Trade Organization rules",
    "including through South-South cooperation",
    "and the principle of leaving no one behind",
    "on a voluntary basis",
    "subject to the availability of resources",
    "including through the United Nations development system",
    "in coordination with the regional commissions",
];

/// Replacement wording (`[old] {X delete} [new] {X+}`).
pub const REPLACEMENTS: [&str; 16] = [
    "encourages",
    "invites",
    "takes note of",
    "welcomes",
    "relevant stakeholders",
    "all relevant actors, as appropriate",
    "national priorities",
    "the legitimate interests of all States",
    "strengthening",
    "promoting, as appropriate,",
    "sustainable",
    "inclusive and resilient",
    "voluntary",
    "nationally determined",
    "means of implementation",
    "adequate and predictable financing",
];

/// Notes delegations and the Chair leave (`{Chair suggest ...}`).
pub const NOTES: [&str; 10] = [
    "Chair suggest retaining the paragraph with agreed language from previous resolutions",
    "Chair suggest deleting the reference here, as the matter is addressed in the operative part",
    "Chair suggest \"from all sources\" as a bridging formulation",
    "Chair notes that consultations on this paragraph continue in informal-informals",
    "Placeholder for language on financing pending the outcome of consultations",
    "Chair suggest merging with the following paragraph",
    "Chair suggest moving this paragraph to the end of the preamble",
    "Secretariat to verify the reference to the report",
    "Chair suggest aligning with the language agreed in the ministerial declaration",
    "Chair notes the proposal could be withdrawn if the qualifier is retained",
];

pub use brackets::parse::MONTHS;
