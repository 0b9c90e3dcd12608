//! What people type, stripped of separators before it is parsed.

use super::{MAX_DIGITS, PhoneError};

/// What the input looked like once separators were stripped.
pub(super) struct Cleaned {
    plus: bool,
    /// The text starts with `00` (after leading white space): only then
    /// are the first two zeros an international prefix.
    zero_zero: bool,
    pub(super) digits: String,
}

impl Cleaned {
    /// The digits after the international prefix (`+` or `00`), when the
    /// input was written with one.
    pub(super) fn international(&self) -> Option<&str> {
        if self.plus {
            Some(&self.digits)
        } else if self.zero_zero {
            self.digits.strip_prefix("00")
        } else {
            None
        }
    }
}

pub(super) fn clean(input: &str) -> Result<Cleaned, PhoneError> {
    let mut plus = false;
    let mut digits = String::with_capacity(input.len());
    let zero_zero = input.trim().starts_with("00");
    for (position, c) in input.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if position == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            found => return Err(PhoneError::InvalidCharacter { found, position }),
        }
        if digits.len() > MAX_DIGITS + 4 {
            // Long enough to be rejected whatever follows; stop copying.
            return Err(PhoneError::TooLong {
                digits: digits.len(),
            });
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::Empty);
    }
    Ok(Cleaned {
        plus,
        zero_zero,
        digits,
    })
}
