//! A cell as the JSON its field reads: numbers and dates the way Vietnamese offices write
//! them, closed sets by value or label, yes or no in either language.

use cncl_domain::field_spec::Input;
use cncl_domain::labels::choice_label;
use cncl_domain::{Lang, Message, msg};
use cncl_exchange::{Cell, Row, ValueError, column_letter, parse_date, parse_number};
use cncl_store::search::fold;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::RowOutcome;
use super::columns::Mapped;

/// The stored value of closed set `set` that `text` names: the value itself, or its label in
/// either language, accents and case aside.
pub(super) fn choose(set: &str, values: &[String], text: &str) -> Result<Value, Message> {
    let folded = fold(text);
    values
        .iter()
        .find(|v| {
            fold(v) == folded
                || [Lang::Vi, Lang::En]
                    .iter()
                    .any(|&l| choice_label(set, v, l).is_some_and(|label| fold(label) == folded))
        })
        .map(|v| Value::String(v.clone()))
        .ok_or_else(|| {
            let offered =
                |lang| values.iter().filter_map(|v| choice_label(set, v, lang)).collect::<Vec<_>>().join(", ");
            msg(
                format!("“{text}” không thuộc danh sách: {}", offered(Lang::Vi)),
                format!("“{text}” is not one of: {}", offered(Lang::En)),
            )
        })
}

/// A number as the text a text field reads: whole numbers without a decimal part.
pub(super) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { format!("{n:.0}") } else { n.to_string() }
}

/// A cell as the JSON its field reads (a reference still as the key written).
pub(super) fn value_of(cell: &Cell, input: &Input) -> Result<Value, Message> {
    let text = match cell {
        Cell::FormulaWithoutValue(formula) => {
            return Err(msg(
                format!("công thức ={formula} chưa có giá trị đã tính: mở tệp bằng Excel rồi lưu lại"),
                format!("the formula ={formula} has no computed value: open the file in Excel and save it again"),
            ));
        }
        Cell::Error(e) => return Err(msg(format!("ô chứa lỗi {e}"), format!("the cell holds the error {e}"))),
        Cell::Empty => {
            return Ok(match input {
                Input::Flag => Value::Bool(false),
                Input::Choices { .. } | Input::Products => Value::Array(Vec::new()),
                _ => Value::Null,
            });
        }
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
    };
    match (input, cell) {
        (Input::Date, Cell::Date(d)) => Ok(Value::String(d.to_string())),
        (Input::Date, Cell::Number(n)) => cncl_exchange::value::date_from_serial(*n)
            .map(|d| Value::String(d.to_string()))
            .ok_or_else(|| msg(format!("{n} không phải ngày"), format!("{n} is not a date"))),
        (Input::Date, _) => parse_date(&text).map(|d| Value::String(d.to_string())).map_err(|e| value_message(&e)),
        (Input::Integer, Cell::Number(n)) => Ok(whole(*n)),
        (Input::Integer, _) => parse_number(&text).map(whole).map_err(|e| value_message(&e)),
        (Input::Flag, Cell::Bool(b)) => Ok(Value::Bool(*b)),
        (Input::Flag, _) => match fold(&text).as_str() {
            "true" | "co" | "x" | "1" | "yes" => Ok(Value::Bool(true)),
            "false" | "khong" | "0" | "no" => Ok(Value::Bool(false)),
            _ => Err(msg(format!("“{text}” không phải có hoặc không"), format!("“{text}” is not yes or no"))),
        },
        (Input::Choice { set, values }, _) => choose(set, values, &text),
        (Input::Choices { set, values }, _) => text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| choose(set, values, part))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (Input::Products, _) => Ok(Value::Array(
            text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|p| Value::String(p.to_owned())).collect(),
        )),
        _ => Ok(Value::String(text)),
    }
}

/// Why a cell's text is not a number or a date, in both languages.
fn value_message(error: &ValueError) -> Message {
    match error {
        ValueError::NotANumber(text) => msg(format!("“{text}” không phải số"), error.to_string()),
        ValueError::NotADate(text) => msg(format!("“{text}” không phải ngày (dd/mm/yyyy)"), error.to_string()),
    }
}

/// A whole number as JSON; a fraction stays one, for the field to refuse by name.
pub(super) fn whole(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { Value::from(n as i64) } else { Value::from(n) }
}

pub(super) fn error(column: Option<&Mapped>, message: Message) -> RowOutcome {
    RowOutcome::Error {
        column: column.map(|c| column_letter(c.index)),
        header: column.map(|c| c.header.clone()),
        message: message.en,
        message_vi: message.vi,
    }
}

/// A row as JSON (references still as written), and the id it names (for an update).
pub(super) fn row_json(row: &Row, columns: &[Mapped]) -> Result<(Option<Uuid>, Map<String, Value>), RowOutcome> {
    let mut json = Map::new();
    let mut id = None;
    for column in columns {
        let Some(input) = &column.input else {
            match row.cell(column.index) {
                Cell::Empty => {}
                cell => {
                    let text = match cell {
                        Cell::Text(t) => t.clone(),
                        Cell::Number(n) => number_text(*n),
                        other => format!("{other:?}"),
                    };
                    id = Some(Uuid::parse_str(text.trim()).map_err(|_| {
                        error(
                            Some(column),
                            msg(
                                format!("“{text}” không phải mã ID của bản ghi"),
                                format!("“{text}” is not a record id"),
                            ),
                        )
                    })?);
                }
            }
            continue;
        };
        let value = value_of(row.cell(column.index), input).map_err(|message| error(Some(column), message))?;
        json.insert(column.key.clone(), value);
    }
    Ok((id, json))
}
