//! Any bytes as an uploaded CSV file: read or refused with a line, never a panic.
#![no_main]

use cncl_exchange::{Limits, read_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { file_bytes: 1024 * 1024, unpacked_bytes: 8 * 1024 * 1024 };
    if let Ok(book) = read_csv("cost-lines", data, limits) {
        assert_eq!(book.sheets.len(), 1);
        let numbers: Vec<u32> = book.sheets[0].rows.iter().map(|r| r.number).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "rows in file order");
    }
});
