//! Values read from query strings, with the error a client can act on: a value that is not
//! written as the parameter's type is a 400 naming the parameter; a date written correctly
//! but outside cncl's window is a 422 naming it.

use cncl_domain::Date;

use crate::error::WebError;

/// The date in query parameter `name`.
pub fn date(name: &str, value: &str) -> Result<Date, WebError> {
    let written =
        Date::written(value).ok_or_else(|| WebError::bad_request(name, cncl_domain::msg(Date::FORM_VI, Date::FORM)))?;
    Date::new(written).map_err(|e| WebError::from(e.at(name)))
}
