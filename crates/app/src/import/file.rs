//! An upload read as sheets: an `.xlsx` workbook or a CSV file, within the limits every
//! upload has.

use cncl_domain::{Message, msg};
use cncl_exchange::{Limits, ReadError, read_csv, read_xlsx};

use crate::AppError;

/// Largest file taken.
const LIMITS: Limits = Limits { file_bytes: 50 * 1024 * 1024, unpacked_bytes: 500 * 1024 * 1024 };

/// `bytes` as sheets: an `.xlsx` workbook, or CSV named `file_name` after its kind.
pub(super) fn read_file(file_name: &str, bytes: &[u8]) -> Result<cncl_exchange::Workbook, AppError> {
    let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let read = if bytes.starts_with(b"PK") || file_name.ends_with(".xlsx") {
        read_xlsx(bytes, LIMITS)
    } else {
        read_csv(stem, bytes, LIMITS)
    };
    read.map_err(|e| AppError::bad_request("file", read_message(file_name, &e)))
}

/// Why the file could not be read, in both languages.
fn read_message(file_name: &str, error: &ReadError) -> Message {
    let vi = match error {
        ReadError::TooLarge { limit } => format!("tệp lớn hơn {limit} byte"),
        ReadError::UnpacksTooLarge { limit } => format!("sổ tính giải nén ra hơn {limit} byte"),
        ReadError::PasswordProtected => "sổ tính được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi tải lên lại".to_owned(),
        ReadError::NotAWorkbook(why) => format!("tệp không phải sổ tính Excel (.xlsx): {why}"),
        ReadError::Csv { line, message } => format!("dòng {line}: {message}"),
        ReadError::Empty => "tệp trống".to_owned(),
        ReadError::TooManyCells { limit } => format!("sổ tính có hơn {limit} ô"),
    };
    msg(format!("{file_name}: {vi}"), format!("{file_name}: {error}"))
}
