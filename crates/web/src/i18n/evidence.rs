//! The words of a figure's evidence page: what the figure divides, and the records behind it.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { EvidenceUi, VI, EN;
    how_computed: "Cách tính"
        | "How it is computed";
    record: "Bản ghi"
        | "Record";
    kind: "Loại"
        | "Kind";
    organisation: "Tổ chức"
        | "Organisation";
    date_counted: "Ngày ghi trên bản ghi"
        | "Date on the record";
    contribution: "Đóng góp"
        | "Contribution";
    first_listed: "Liệt kê"
        | "Listed: the first";
    sign_in_for_evidence: "để xem danh sách bản ghi được tính."
        | "to see the records counted.";
}

pub fn evidence_ui(lang: Lang) -> &'static EvidenceUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
