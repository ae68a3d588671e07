//! The indicator library's names: every figure cncl can compute, whether it is one per
//! product or one for the programme, and what it rests on (bills of materials, reports owed).
//! How each is computed is documented where it is computed (`indicators`).

use serde::{Deserialize, Serialize};

use crate::obligations::ObligationKind;

/// Whether a criterion gives one figure per product or one for the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Product,
    Programme,
}

/// The indicator library: every figure cncl can compute. Each is documented where it is
/// computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    DomesticValueAddedShareOfPrice,
    DomesticShareOfProductionCost,
    CoreTechnologiesMasteredShare,
    DomesticMarketShare,
    ResearchProjectsWithAccreditedPublicationShare,
    ResearchProjectsWithAcceptedIpShare,
    ResearchOutcomesAppliedShare,
    DualUseProjectsDemonstratedShare,
    EnterprisesInRd,
    InstitutesUniversitiesInRd,
    SupportingEnterprises,
    StrategicIndustriesFormed,
    EnterprisesMeetingInternationalStandards,
    PeopleTrained,
    OpenNationalKeyLaboratories,
    StateBudgetShareOfStSpending,
    AssignedTasksSevenClearShare,
}

/// What each figure divides, in Vietnamese and English, in words an auditor can check
/// against the records listed beside it (the computation is documented in `indicators`).
const EXPLANATIONS: [(Indicator, &str, &str); 17] = [
    (
        Indicator::DomesticValueAddedShareOfPrice,
        "Tử số: Σ (số lượng bán × (giá bán − giá trị nhập khẩu)) của các mẫu sản phẩm đã ra thị trường, theo năm gần nhất có doanh số; mẫu số: Σ (số lượng bán × giá bán). Giá trị nhập khẩu gồm phần nhập khẩu của định mức nguyên vật liệu và các khoản chi phí nhập khẩu khác.",
        "Numerator: Σ (units sold × (selling price − imported inputs)) over the launched models, in the latest year with sales; denominator: Σ (units sold × selling price). Imported inputs are the bill of materials' imported content and the other imported cost lines.",
    ),
    (
        Indicator::DomesticShareOfProductionCost,
        "Tử số: Σ (số lượng bán × chi phí sản xuất trong nước) của các mẫu sản phẩm; mẫu số: Σ (số lượng bán × tổng chi phí sản xuất), theo năm gần nhất có doanh số.",
        "Numerator: Σ (units sold × domestic production cost) over the models; denominator: Σ (units sold × total production cost), in the latest year with sales.",
    ),
    (
        Indicator::CoreTechnologiesMasteredShare,
        "Tử số: Σ trọng số các công nghệ lõi (cấp lá) có đánh giá gần nhất ở mức làm chủ; mẫu số: Σ trọng số mọi công nghệ lõi cấp lá của sản phẩm, đã đánh giá hay chưa.",
        "Numerator: Σ weights of the leaf core technologies whose latest assessment is at the mastered level; denominator: Σ weights of all the product's leaf core technologies, assessed or not.",
    ),
    (
        Indicator::DomesticMarketShare,
        "Tử số: Σ (số lượng bán trong nước × giá bán) của các mẫu sản phẩm; mẫu số: quy mô thị trường trong nước cùng năm.",
        "Numerator: Σ (units sold at home × selling price) over the models; denominator: the domestic market size for the same year.",
    ),
    (
        Indicator::ResearchProjectsWithAccreditedPublicationShare,
        "Tử số: đề tài nghiên cứu đã nghiệm thu có bài đăng trên tạp chí được Hội đồng Giáo sư nhà nước công nhận; mẫu số: đề tài nghiên cứu đã nghiệm thu.",
        "Numerator: accepted research projects with a paper in a journal accredited by the State Council for Professorship; denominator: accepted research projects.",
    ),
    (
        Indicator::ResearchProjectsWithAcceptedIpShare,
        "Tử số: đề tài nghiên cứu đã nghiệm thu có đơn sở hữu trí tuệ được chấp nhận hợp lệ; mẫu số: đề tài nghiên cứu đã nghiệm thu.",
        "Numerator: accepted research projects with an IP application formally accepted; denominator: accepted research projects.",
    ),
    (
        Indicator::ResearchOutcomesAppliedShare,
        "Tử số: kết quả nghiên cứu đã đưa vào sản xuất, kinh doanh hoặc thương mại hóa; mẫu số: kết quả nghiên cứu đã ghi nhận.",
        "Numerator: research outcomes integrated into production or commercialised; denominator: the research outcomes recorded.",
    ),
    (
        Indicator::DualUseProjectsDemonstratedShare,
        "Tử số: đề tài lưỡng dụng đã chứng minh cả ứng dụng dân sự và quốc phòng, an ninh; mẫu số: đề tài lưỡng dụng đã giao.",
        "Numerator: dual-use projects with both a civil and a defence demonstration; denominator: the dual-use projects assigned.",
    ),
    (
        Indicator::EnterprisesInRd,
        "Số doanh nghiệp khác nhau chủ trì hoặc tham gia một nhiệm vụ đã giao.",
        "The distinct enterprises leading or taking part in an assigned task.",
    ),
    (
        Indicator::InstitutesUniversitiesInRd,
        "Số viện nghiên cứu, trường đại học khác nhau chủ trì hoặc tham gia một nhiệm vụ đã giao.",
        "The distinct research institutes and universities leading or taking part in an assigned task.",
    ),
    (
        Indicator::SupportingEnterprises,
        "Số doanh nghiệp khác nhau cung cấp thiết bị, dịch vụ cho một nhiệm vụ đã giao.",
        "The distinct enterprises supplying equipment or services to an assigned task.",
    ),
    (
        Indicator::StrategicIndustriesFormed,
        "Số ngành công nghiệp chiến lược đã hình thành.",
        "The strategic industries formed.",
    ),
    (
        Indicator::EnterprisesMeetingInternationalStandards,
        "Số doanh nghiệp có chứng nhận tiêu chuẩn quốc tế còn hiệu lực (với tiêu chí về quy mô: đạt quy mô nêu trong tiêu chí).",
        "The enterprises holding an international-standard certification still valid (for the criterion on scale: of the scale it names).",
    ),
    (
        Indicator::PeopleTrained,
        "Tổng số người được đào tạo theo các báo cáo đào tạo đến năm tính.",
        "The sum of the people trained in the training records up to the year.",
    ),
    (
        Indicator::OpenNationalKeyLaboratories,
        "Số phòng thí nghiệm trọng điểm quốc gia hoạt động theo mô hình mở đã thành lập.",
        "The national key laboratories on the open model established.",
    ),
    (
        Indicator::StateBudgetShareOfStSpending,
        "Tử số: kinh phí ngân sách nhà nước (trung ương và địa phương) của Chương trình trong năm; mẫu số: chi ngân sách nhà nước cho khoa học và công nghệ cùng năm.",
        "Numerator: the programme's state budget (central and local) for the year; denominator: the state's science and technology spending for that year.",
    ),
    (
        Indicator::AssignedTasksSevenClearShare,
        "Tử số: nhiệm vụ đã giao có đủ \"7 rõ\"; mẫu số: nhiệm vụ đã giao.",
        "Numerator: assigned tasks meeting all of the \"7 clear\"; denominator: assigned tasks.",
    ),
];

impl Indicator {
    /// The programme's headline figures, first on the dashboard: mastery of core
    /// technologies, domestic value added and market share (the products' objectives),
    /// participation (enterprises, institutes and universities in R&D), and the state budget
    /// against its ceiling (Decision 2815/QĐ-TTg, objectives and funding; PRODUCT.md).
    pub const HEADLINE: [Indicator; 6] = [
        Self::CoreTechnologiesMasteredShare,
        Self::DomesticValueAddedShareOfPrice,
        Self::DomesticMarketShare,
        Self::EnterprisesInRd,
        Self::InstitutesUniversitiesInRd,
        Self::StateBudgetShareOfStSpending,
    ];

    /// What the figure divides, in words (the table of explanations above).
    pub fn explanation(self, lang: cncl_domain::Lang) -> &'static str {
        EXPLANATIONS.iter().find(|(i, _, _)| *i == self).map_or("", |(_, vi, en)| lang.pick(vi, en))
    }

    /// Whether the figure rests on bills of materials, so the rule (tracing or roll-up)
    /// belongs beside it.
    pub fn uses_bill_of_materials(self) -> bool {
        matches!(self, Self::DomesticValueAddedShareOfPrice | Self::DomesticShareOfProductionCost)
    }

    /// Whether the indicator gives one figure per product or one for the programme.
    pub fn scope(self) -> Scope {
        match self {
            Self::DomesticValueAddedShareOfPrice
            | Self::DomesticShareOfProductionCost
            | Self::CoreTechnologiesMasteredShare
            | Self::DomesticMarketShare
            | Self::ResearchProjectsWithAccreditedPublicationShare
            | Self::ResearchProjectsWithAcceptedIpShare
            | Self::ResearchOutcomesAppliedShare
            | Self::DualUseProjectsDemonstratedShare => Scope::Product,
            _ => Scope::Programme,
        }
    }
}

impl Indicator {
    /// The reports an indicator's facts come in by, if any: a figure computed while some of
    /// them are missing may move once they arrive.
    pub fn rests_on(self) -> Option<ObligationKind> {
        use Indicator::*;
        match self {
            DomesticValueAddedShareOfPrice | DomesticShareOfProductionCost | DomesticMarketShare => {
                Some(ObligationKind::ModelReport)
            }
            ResearchProjectsWithAccreditedPublicationShare
            | ResearchProjectsWithAcceptedIpShare
            | ResearchOutcomesAppliedShare
            | DualUseProjectsDemonstratedShare
            | EnterprisesInRd
            | InstitutesUniversitiesInRd
            | StateBudgetShareOfStSpending
            | AssignedTasksSevenClearShare => Some(ObligationKind::TaskProgress),
            PeopleTrained => Some(ObligationKind::TrainingReport),
            CoreTechnologiesMasteredShare
            | SupportingEnterprises
            | StrategicIndustriesFormed
            | EnterprisesMeetingInternationalStandards
            | OpenNationalKeyLaboratories => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{EXPLANATIONS, Indicator};

    #[test]
    fn every_indicator_is_explained_once() {
        for (i, (indicator, vi, en)) in EXPLANATIONS.iter().enumerate() {
            assert!(!vi.is_empty() && !en.is_empty());
            assert!(!EXPLANATIONS[..i].iter().any(|(other, _, _)| other == indicator), "{indicator:?} twice");
        }
        assert!(Indicator::HEADLINE.iter().all(|i| !i.explanation(cncl_domain::Lang::Vi).is_empty()));
    }
}
