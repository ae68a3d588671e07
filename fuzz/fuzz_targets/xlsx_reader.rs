//! Any bytes as an uploaded workbook: read or refused, never a panic, and never more memory
//! than the limits allow (a zip bomb is refused by its unpacked size).
#![no_main]

use cncl_exchange::{Limits, read_xlsx};
use libfuzzer_sys::fuzz_target;

/// libfuzzer-sys aborts on any panic from its hook, even one the reader catches from
/// calamine on purpose; a panic that escapes the reader still aborts, through libfuzzer-sys's
/// own catch around each input.
static QUIET_CAUGHT_PANICS: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    QUIET_CAUGHT_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let limits = Limits { file_bytes: 1024 * 1024, unpacked_bytes: 8 * 1024 * 1024 };
    if let Ok(book) = read_xlsx(data, limits) {
        // Every row number is one Excel can show.
        for sheet in &book.sheets {
            for row in &sheet.rows {
                assert!(row.number >= 1 && row.number <= 1_048_576);
            }
        }
    }
});
