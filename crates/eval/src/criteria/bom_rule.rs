//! The rule by which a multi-level bill of materials counts a domestic sub-assembly, and its
//! name in words.

use serde::{Deserialize, Serialize};

/// How a multi-level bill of materials counts a domestically made sub-assembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BomRule {
    /// A domestic sub-assembly contributes its own imported content.
    Tracing,
    /// A domestic sub-assembly whose own domestic share meets the threshold counts as wholly
    /// domestic; one that does not contributes only its imported content.
    RollUp,
}

impl BomRule {
    /// The rule in words, as every page and report names it beside the figures it made.
    pub fn describe(self, threshold_percent: u8, lang: cncl_domain::Lang) -> String {
        match self {
            BomRule::Tracing => lang
                .pick("truy vết hàm lượng nhập khẩu qua mọi cấp", "imported content traced through every level")
                .to_owned(),
            BomRule::RollUp => format!(
                "{} ({threshold_percent} %)",
                lang.pick(
                    "cụm lắp ráp trong nước đạt ngưỡng được tính là trong nước",
                    "domestic sub-assemblies at the threshold count as domestic"
                )
            ),
        }
    }
}
