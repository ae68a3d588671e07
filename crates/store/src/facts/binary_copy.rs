//! PostgreSQL's binary `COPY` format, read. Fact loading streams its rows with
//! `copy (select …) to stdout (format binary)`: at national scale, decoding a million rows
//! through sqlx's row type took about a third of `cncl evaluate`'s time (a `DataRow`, a
//! `PgRow` and a type check for every value), where the copy hands over bare bytes.
//!
//! Written by hand: sqlx passes a copy's bytes through raw, and the maintained parser of this
//! format (`tokio-postgres`'s `BinaryCopyOutStream`) belongs to another driver. The format is
//! small: a header, then per row a field count and, per field, a length (`-1` for null) and
//! its bytes in the type's binary form, then a trailer of `-1`
//! (<https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4>).

use std::ops::Range;

use super::rows::Columns;

const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";
/// The signature, the flags and the length of the header extension.
const FIXED_HEADER: usize = SIGNATURE.len() + 4 + 4;
/// The header flag saying that each row starts with its OID, which fact queries never ask for.
const WITH_OIDS: u32 = 1 << 16;

/// Reads a binary copy stream fed in chunks of any size; rows may span chunks.
#[derive(Default)]
pub(super) struct BinaryCopyReader {
    /// The unread tail of the chunks so far: a row not yet complete.
    pending: Vec<u8>,
    header_read: bool,
    finished: bool,
    /// Each field's place in the row being read (`None` for null), reused from row to row.
    fields: Vec<Option<Range<usize>>>,
}

/// One row of a binary copy: its fields in the binary form of their types.
pub(super) struct CopyRow<'a> {
    data: &'a [u8],
    fields: &'a [Option<Range<usize>>],
}

impl BinaryCopyReader {
    /// Read `chunk`, calling `each` with every row it completes.
    pub(super) fn feed(
        &mut self,
        chunk: &[u8],
        mut each: impl FnMut(&CopyRow<'_>) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            let consumed = self.read_rows(chunk, &mut each)?;
            pending.extend_from_slice(&chunk[consumed..]);
        } else {
            pending.extend_from_slice(chunk);
            let consumed = self.read_rows(&pending, &mut each)?;
            pending.drain(..consumed);
        }
        self.pending = pending;
        Ok(())
    }

    /// Checks that the stream ended with its trailer and nothing after it.
    pub(super) fn finish(self) -> Result<(), String> {
        if !self.finished {
            return Err(format!("the copy stream ended without its trailer ({} bytes unread)", self.pending.len()));
        }
        Ok(())
    }

    /// Reads every complete row of `data`; returns how many bytes were read.
    fn read_rows(
        &mut self,
        data: &[u8],
        each: &mut impl FnMut(&CopyRow<'_>) -> Result<(), String>,
    ) -> Result<usize, String> {
        let mut at = 0;
        if !self.header_read {
            let Some(header) = header_length(data)? else { return Ok(0) };
            at = header;
            self.header_read = true;
        }
        loop {
            if self.finished {
                return match data.len() - at {
                    0 => Ok(at),
                    extra => Err(format!("{extra} bytes after the copy stream's trailer")),
                };
            }
            let Some(count) = read_i16(data, at) else { return Ok(at) };
            if count == -1 {
                self.finished = true;
                at += 2;
                continue;
            }
            let count = usize::try_from(count).map_err(|_| format!("a row of {count} fields"))?;
            let mut next = at + 2;
            self.fields.clear();
            for _ in 0..count {
                let Some(length) = read_i32(data, next) else { return Ok(at) };
                next += 4;
                if length == -1 {
                    self.fields.push(None);
                    continue;
                }
                let length = usize::try_from(length).map_err(|_| format!("a field of {length} bytes"))?;
                if data.len() - next < length {
                    return Ok(at);
                }
                self.fields.push(Some(next..next + length));
                next += length;
            }
            each(&CopyRow { data, fields: &self.fields })?;
            at = next;
        }
    }
}

/// The header's length, once `data` holds all of it.
fn header_length(data: &[u8]) -> Result<Option<usize>, String> {
    if data.len() < FIXED_HEADER {
        return Ok(None);
    }
    if &data[..SIGNATURE.len()] != SIGNATURE {
        return Err("not a binary copy stream".into());
    }
    let flags = read_u32(data, SIGNATURE.len()).unwrap_or_default();
    if flags & WITH_OIDS != 0 {
        return Err("the copy stream carries row OIDs".into());
    }
    let extension = read_u32(data, SIGNATURE.len() + 4).unwrap_or_default();
    let length = usize::try_from(extension).ok().and_then(|e| FIXED_HEADER.checked_add(e));
    Ok(length.filter(|&length| data.len() >= length))
}

fn read_i16(data: &[u8], at: usize) -> Option<i16> {
    Some(i16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn read_i32(data: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

impl Columns for CopyRow<'_> {
    fn opt_text(&self, i: usize) -> Result<Option<&str>, String> {
        self.opt_bytes(i)?.map(|b| std::str::from_utf8(b).map_err(|e| format!("column {i}: {e}"))).transpose()
    }
    /// Text travels as its bytes in the binary format too.
    fn opt_bytes(&self, i: usize) -> Result<Option<&[u8]>, String> {
        let field = self.fields.get(i).ok_or_else(|| format!("no column {i}"))?;
        Ok(field.clone().map(|range| &self.data[range]))
    }
    /// `smallint`, `integer` or `bigint`, big-endian.
    fn opt_int(&self, i: usize) -> Result<Option<i64>, String> {
        let Some(bytes) = self.opt_bytes(i)? else { return Ok(None) };
        let value = match *bytes {
            [a, b] => i64::from(i16::from_be_bytes([a, b])),
            [a, b, c, d] => i64::from(i32::from_be_bytes([a, b, c, d])),
            [a, b, c, d, e, f, g, h] => i64::from_be_bytes([a, b, c, d, e, f, g, h]),
            _ => return Err(format!("column {i} is {} bytes, not an integer", bytes.len())),
        };
        Ok(Some(value))
    }
    fn flag(&self, i: usize) -> Result<bool, String> {
        match self.opt_bytes(i)? {
            Some([byte]) => Ok(*byte != 0),
            Some(bytes) => Err(format!("column {i} is {} bytes, not a boolean", bytes.len())),
            None => Err(format!("column {i} is null")),
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A field as the test writes it: null, text, an integer of 2, 4 or 8 bytes, or a boolean.
    #[derive(Debug, Clone, PartialEq)]
    enum Field {
        Null,
        Text(String),
        Int(i64, usize),
        Flag(bool),
    }

    fn encode_field(field: &Field, out: &mut Vec<u8>) {
        let bytes = match field {
            Field::Null => {
                out.extend_from_slice(&(-1i32).to_be_bytes());
                return;
            }
            Field::Text(text) => text.as_bytes().to_vec(),
            Field::Int(value, 2) => (*value as i16).to_be_bytes().to_vec(),
            Field::Int(value, 4) => (*value as i32).to_be_bytes().to_vec(),
            Field::Int(value, _) => value.to_be_bytes().to_vec(),
            Field::Flag(flag) => vec![u8::from(*flag)],
        };
        out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        out.extend_from_slice(&bytes);
    }

    /// A stream as PostgreSQL writes it, with `extension` bytes of header extension.
    fn encode(rows: &[Vec<Field>], extension: &[u8]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&(extension.len() as u32).to_be_bytes());
        out.extend_from_slice(extension);
        for row in rows {
            out.extend_from_slice(&(row.len() as i16).to_be_bytes());
            row.iter().for_each(|field| encode_field(field, &mut out));
        }
        out.extend_from_slice(&(-1i16).to_be_bytes());
        out
    }

    /// Reads each field back in the form its test value was written in.
    fn decode(row: &CopyRow<'_>, like: &[Field]) -> Result<Vec<Field>, String> {
        like.iter()
            .enumerate()
            .map(|(i, field)| match field {
                Field::Null => {
                    row.opt_bytes(i).map(|b| if b.is_none() { Field::Null } else { Field::Text("?".into()) })
                }
                Field::Text(_) => Ok(Field::Text(row.text(i)?.to_owned())),
                Field::Int(_, width) => Ok(Field::Int(row.int(i)?, *width)),
                Field::Flag(_) => Ok(Field::Flag(row.flag(i)?)),
            })
            .collect()
    }

    /// Feeds `stream` cut at `cuts` and decodes the rows like `rows`.
    fn read_in_pieces(stream: &[u8], cuts: &[usize], rows: &[Vec<Field>]) -> Result<Vec<Vec<Field>>, String> {
        let mut reader = BinaryCopyReader::default();
        let mut read = Vec::new();
        let mut start = 0;
        let mut ends: Vec<usize> = cuts.iter().map(|&cut| cut.min(stream.len())).collect();
        ends.sort_unstable();
        ends.push(stream.len());
        for end in ends {
            reader.feed(&stream[start..end], |row| {
                let like = rows.get(read.len()).ok_or("more rows than written")?;
                read.push(decode(row, like)?);
                Ok(())
            })?;
            start = end;
        }
        reader.finish()?;
        Ok(read)
    }

    fn field() -> impl Strategy<Value = Field> {
        prop_oneof![
            Just(Field::Null),
            "\\PC{0,40}".prop_map(Field::Text),
            any::<i16>().prop_map(|v| Field::Int(i64::from(v), 2)),
            any::<i32>().prop_map(|v| Field::Int(i64::from(v), 4)),
            any::<i64>().prop_map(|v| Field::Int(v, 8)),
            any::<bool>().prop_map(Field::Flag),
        ]
    }

    proptest! {
        /// However the stream is cut into chunks, every row comes back as written.
        #[test]
        fn rows_come_back_as_written_wherever_the_chunks_end(
            rows in proptest::collection::vec(proptest::collection::vec(field(), 0..8), 0..20),
            extension in proptest::collection::vec(any::<u8>(), 0..6),
            cuts in proptest::collection::vec(0usize..2_000, 0..12),
        ) {
            let stream = encode(&rows, &extension);
            prop_assert_eq!(read_in_pieces(&stream, &cuts, &rows), Ok(rows));
        }
    }

    #[test]
    fn a_stream_cut_short_is_an_error_not_fewer_rows() {
        let rows = vec![vec![Field::Text("a".into()), Field::Int(7, 8)]; 3];
        let stream = encode(&rows, &[]);
        for length in 0..stream.len() {
            let error = read_in_pieces(&stream[..length], &[], &rows).expect_err("a cut stream");
            assert!(error.contains("without its trailer"), "{length}: {error}");
        }
    }

    #[test]
    fn what_is_not_a_binary_copy_is_refused() {
        let mut reader = BinaryCopyReader::default();
        let text_copy = b"id\tmodel\n1\t2\n\\.\n........................";
        assert_eq!(reader.feed(text_copy, |_| Ok(())), Err("not a binary copy stream".into()));

        let mut stream = encode(&[], &[]);
        stream.push(0);
        let error = read_in_pieces(&stream, &[], &[]).expect_err("a byte after the trailer");
        assert!(error.contains("after the copy stream's trailer"), "{error}");

        let mut with_oids = encode(&[], &[]);
        with_oids[SIGNATURE.len()..SIGNATURE.len() + 4].copy_from_slice(&WITH_OIDS.to_be_bytes());
        assert_eq!(read_in_pieces(&with_oids, &[], &[]), Err("the copy stream carries row OIDs".into()));
    }

    #[test]
    fn a_field_read_as_the_wrong_type_names_its_column() {
        let rows = vec![vec![Field::Text("abc".into()), Field::Null]];
        let stream = encode(&rows, &[]);
        let mut errors = Vec::new();
        let mut reader = BinaryCopyReader::default();
        reader
            .feed(&stream, |row| {
                errors.push(row.int(0).expect_err("three bytes are no integer"));
                errors.push(row.flag(1).expect_err("a null flag"));
                errors.push(row.text(2).expect_err("no third column"));
                Ok(())
            })
            .expect("the stream reads");
        assert_eq!(errors, ["column 0 is 3 bytes, not an integer", "column 1 is null", "no column 2"]);
    }
}
