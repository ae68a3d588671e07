//! Closed sets of values (enums) with their stored form and their Vietnamese and English
//! labels, declared once so that storage, API, forms and reports agree.

/// Declares an enum whose variants serialise as the given snake_case strings and carry
/// Vietnamese and English labels.
#[macro_export]
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $stored:tt, $vi:literal, $en:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $stored)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored and serialised form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored,)+ }
            }

            /// The label for people, in Vietnamese or English.
            pub fn label(self, lang: $crate::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, $crate::Lang::Vi) => $vi,
                      ($name::$variant, $crate::Lang::En) => $en,)+
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The two languages of cncl. Vietnamese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The other language: the one a page offers to switch to.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Pick the text in this language from a Vietnamese/English pair.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// The label of `stored`, a value of the closed set named `set` (its type name, as the
/// OpenAPI document names it), for forms and tables that know a field only by its schema.
pub fn choice_label(set: &str, stored: &str, lang: Lang) -> Option<&'static str> {
    if set == crate::provinces::SET {
        return crate::provinces::all().iter().find(|p| p.name_vi == stored).map(|p| p.name(lang));
    }
    macro_rules! sets {
        ($($t:path),+ $(,)?) => {{
            use utoipa::ToSchema;
            $(if <$t>::name() == set {
                return <$t>::parse(stored).map(|v| v.label(lang));
            })+
            None
        }};
    }
    sets!(
        crate::output::Application,
        crate::governance::ChargeRole,
        crate::seven_clear::ClearElement,
        crate::market::CostCategory,
        crate::organisation::ExpertOrigin,
        crate::task::FundingSource,
        crate::output::IpKind,
        crate::capacity::LaboratoryKind,
        crate::technology::Mastery,
        crate::organisation::OrganisationKind,
        crate::market::Origin,
        crate::output::OutcomeKind,
        crate::organisation::Ownership,
        crate::task::ParticipantRole,
        crate::organisation::PersonRole,
        crate::governance::ProposalStatus,
        crate::governance::ReportStatus,
        crate::output::Sector,
        crate::governance::TaskForceDocumentKind,
        crate::governance::TaskForcePosition,
        crate::task::TaskOrigin,
        crate::task::TaskStatus,
        crate::capacity::TrainingLevel,
    )
}
