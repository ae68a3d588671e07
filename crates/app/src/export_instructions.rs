//! The instructions sheet of a template: how to fill the workbook in, and, per sheet, what
//! each column takes. Written from the same field descriptions the import reads, so the two
//! cannot disagree.

use cncl_domain::field_spec::{Input, spec};
use cncl_domain::fields::field_label;
use cncl_domain::labels::choice_label;
use cncl_domain::natural_key::{KeyPart, natural_key};
use cncl_domain::{EntityKind, Lang};

/// What a column takes, in words.
fn takes(kind: EntityKind, field: &str, input: &Input, lang: Lang) -> String {
    match input {
        Input::Text { .. } => lang.pick("chữ", "text").to_owned(),
        Input::Integer if field.ends_with("_vnd") => {
            lang.pick("số tiền bằng đồng, ví dụ 1.250.000", "an amount in đồng, e.g. 1.250.000").to_owned()
        }
        Input::Integer => lang.pick("số nguyên", "a whole number").to_owned(),
        Input::Date => lang.pick("ngày, dd/mm/yyyy", "a date, dd/mm/yyyy").to_owned(),
        Input::Flag => lang.pick("Có hoặc Không", "Yes or No").to_owned(),
        Input::Choice { set, values } | Input::Choices { set, values } => {
            let labels: Vec<&str> = values.iter().map(|v| choice_label(set, v, lang).unwrap_or(v)).collect();
            let several = matches!(input, Input::Choices { .. });
            let lead = match (several, lang) {
                (false, Lang::Vi) => "một trong",
                (false, Lang::En) => "one of",
                (true, Lang::Vi) => "một hay nhiều trong, cách nhau bởi dấu phẩy",
                (true, Lang::En) => "one or more of, separated by commas",
            };
            format!("{lead}: {}", labels.join("; "))
        }
        Input::Reference(target) => format!("{}: {}", target.label(lang), key_words(*target, kind, lang)),
        Input::Product => lang.pick("mã sản phẩm (llm, camera, amr, 5g, blockchain, uav)", "a product code").to_owned(),
        Input::Products => {
            lang.pick("các mã sản phẩm, cách nhau bởi dấu phẩy", "product codes, separated by commas").to_owned()
        }
        Input::TaskGroup => lang.pick("mã nhóm nhiệm vụ", "a task group code").to_owned(),
    }
}

/// How a record of `target` is written in a cell of a `from` sheet.
fn key_words(target: EntityKind, from: EntityKind, lang: Lang) -> String {
    let parts = natural_key(target).unwrap_or_default();
    let mut words: Vec<String> = Vec::new();
    for part in parts {
        match *part {
            KeyPart::Field(field) => words.push(field_label(target, field, lang).unwrap_or(field).to_lowercase()),
            KeyPart::Reference(field) => {
                words.push(field_label(target, field, lang).unwrap_or(field).to_lowercase());
            }
            KeyPart::Tree { name, .. } => {
                let name = field_label(target, name, lang).unwrap_or(name).to_lowercase();
                words.push(match lang {
                    Lang::Vi => format!("đường dẫn {name} từ gốc"),
                    Lang::En => format!("the path of {name}s from the top"),
                });
            }
        }
    }
    let joined = words.join(" > ");
    match (lang, target == from) {
        (Lang::Vi, true) => format!("{joined}; trong cùng cây chỉ cần phần cuối, ví dụ “Khung > Động cơ”"),
        (Lang::En, true) => format!("{joined}; within the same tree the last part is enough, e.g. “Frame > Motor”"),
        (Lang::Vi, false) => format!("{joined}; chỉ cần phần cuối nếu không trùng"),
        (Lang::En, false) => format!("{joined}; the last part is enough when it names one record"),
    }
}

/// The instructions sheet's title and paragraphs for a workbook of `kinds`.
pub(crate) fn instructions(kinds: &[EntityKind], lang: Lang) -> (&'static str, Vec<String>) {
    let title = lang.pick("Hướng dẫn nhập liệu cncl", "How to fill in this cncl workbook");
    let general: [(&str, &str); 6] = [
        (
            "Mỗi trang tính chứa một loại hồ sơ. Dòng 1 là tiêu đề, dòng 2 là mã trường (không sửa), dữ liệu bắt đầu từ dòng 3.",
            "Each sheet holds one kind of record. Row 1 holds the headers, row 2 the field keys (leave them as they are); data starts on row 3.",
        ),
        (
            "Cột ID: để trống cho hồ sơ mới; giữ nguyên để cập nhật. Một dòng không có ID nhưng trùng khóa (mã số thuế, mã nhiệm vụ, tên mẫu sản phẩm…) với hồ sơ đã có sẽ cập nhật hồ sơ đó.",
            "ID column: leave it empty for a new record; keep it to update one. A row without an ID whose key (tax code, task code, model name…) matches a record already kept updates that record.",
        ),
        (
            "Tham chiếu ghi bằng khóa quen dùng, không bằng mã UUID: tổ chức theo mã số thuế, nhiệm vụ theo mã, mẫu sản phẩm theo tên (hoặc “mã số thuế > tên”), dòng định mức theo đường dẫn linh kiện (“Khung > Động cơ”), công nghệ lõi theo đường dẫn trong sản phẩm. Cụm linh kiện phải đứng trước các dòng thuộc nó.",
            "References are written as the keys people use, never as UUIDs: organisations by tax code, tasks by code, product models by name (or “tax code > name”), bill-of-materials lines by component path (“Frame > Motor”), core technologies by their path within the product. An assembly must come before the lines inside it.",
        ),
        (
            "Số tiền bằng đồng, viết kiểu Việt Nam (1.250.000) hoặc số thuần; số thập phân dùng dấu phẩy (12,5). Ngày viết dd/mm/yyyy.",
            "Amounts are in đồng, written the Vietnamese way (1.250.000) or as plain numbers; decimals take a comma (12,5). Dates are dd/mm/yyyy.",
        ),
        (
            "Ô có danh sách chọn: chọn một giá trị trong danh sách.",
            "Cells with a drop-down list take one of its values.",
        ),
        (
            "Tải tệp lên trang Nhập dữ liệu (/imports): cncl xem trước từng dòng (mới, cập nhật, không đổi, lỗi) và chỉ ghi khi không còn dòng lỗi, tất cả cùng lúc.",
            "Upload the file on the Import page (/imports): cncl previews every row (new, update, unchanged, error) and writes only when no row is in error, all at once.",
        ),
    ];
    let mut paragraphs: Vec<String> = general.iter().map(|(vi, en)| lang.pick(vi, en).to_owned()).collect();
    for &kind in kinds {
        paragraphs.push(String::new());
        paragraphs.push(format!("{} — {}", kind.resource(), kind.label(lang)));
        for field in &spec(kind).fields {
            let label = field_label(kind, &field.name, lang).unwrap_or(&field.name);
            let required = match (field.required, lang) {
                (true, Lang::Vi) => "bắt buộc",
                (true, Lang::En) => "required",
                (false, Lang::Vi) => "không bắt buộc",
                (false, Lang::En) => "optional",
            };
            paragraphs.push(format!("• {label} ({required}): {}", takes(kind, &field.name, &field.input, lang)));
        }
    }
    (title, paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instructions_name_every_field_and_how_references_are_written() {
        let (_, paragraphs) = instructions(&[EntityKind::ProductModel, EntityKind::BomLine], Lang::Vi);
        let text = paragraphs.join("\n");
        assert!(text.contains("bom-lines — Định mức linh kiện (BOM)"), "{text}");
        assert!(text.contains("Nguồn gốc linh kiện (bắt buộc): một trong: Trong nước; Nhập khẩu"), "{text}");
        assert!(text.contains("Thuộc cụm linh kiện (không bắt buộc): Định mức linh kiện (BOM)"), "{text}");
        let (_, english) = instructions(&[EntityKind::BomLine], Lang::En);
        assert!(english.iter().any(|p| p.contains("Frame > Motor")), "{english:?}");
    }
}
