//! Whatever bytes arrive, the readers answer with a workbook or an error, never a panic: random
//! bytes, and real workbooks and CSV files with bytes flipped, cut short or spliced.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cncl_exchange::{CellOut, Column, ColumnKind, Limits, SheetOut, read_csv, read_xlsx, write_xlsx};
use proptest::prelude::*;

fn valid_workbook() -> Vec<u8> {
    let columns = vec![
        Column { header: "Tên".into(), key: "name".into(), kind: ColumnKind::Text },
        Column { header: "Số tiền".into(), key: "amount_vnd".into(), kind: ColumnKind::Money },
    ];
    let rows = (0..20).map(|i| vec![CellOut::Text(format!("Dòng {i}")), CellOut::Number(f64::from(i) * 1_000.0)]);
    write_xlsx(vec![SheetOut { name: "cost-lines".into(), columns, rows: Box::new(rows) }]).unwrap()
}

/// Small limits, so that a mutation cannot make a case slow.
fn limits() -> Limits {
    Limits { file_bytes: 1024 * 1024, unpacked_bytes: 4 * 1024 * 1024 }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4_096)) {
        let _ = read_csv("x", &bytes, limits());
        let _ = read_xlsx(&bytes, limits());
        let mut zip_like = b"PK\x03\x04".to_vec();
        zip_like.extend_from_slice(&bytes);
        let _ = read_xlsx(&zip_like, limits());
    }

    #[test]
    fn damaged_workbooks_never_panic(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = valid_workbook();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = read_xlsx(&bytes, limits());
        let end = cut.index(bytes.len());
        let _ = read_xlsx(&bytes[..end], limits());
    }

    #[test]
    fn damaged_csv_never_panics(text in "[a-zĐđ0-9;,\t\"\r\n .]{0,400}", bom in any::<bool>()) {
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(text.as_bytes());
        if let Ok(book) = read_csv("x", &bytes, limits()) {
            // Every row keeps a line number within the file (CRLF, LF or a CR alone end a
            // line), in file order.
            let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() as u32 + 1;
            let rows = &book.sheets[0].rows;
            prop_assert!(rows.iter().all(|r| r.number >= 1 && r.number <= lines));
            prop_assert!(rows.windows(2).all(|w| w[0].number < w[1].number));
        }
    }
}
