//! whatsapp-common: phone numbers as a caller types them. Whatever parses
//! prints as E.164, and that E.164 parses back to the same number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whatsapp_common::{DefaultCountry, PhoneNumber};

fn check(n: &PhoneNumber) {
    let e164 = n.e164();
    let again = PhoneNumber::parse(&e164).expect("E.164 output parses");
    assert_eq!(&again, n, "{e164} parsed to another number");
    assert_eq!(
        format!("{}{}", n.country_code(), n.national_number()),
        n.digits()
    );
}

fuzz_target!(|input: &str| {
    if let Ok(n) = PhoneNumber::parse(input) {
        check(&n);
        // Typed text parses only when written internationally.
        let t = input.trim_start();
        assert!(
            t.starts_with('+') || t.starts_with("00"),
            "{input:?} was guessed"
        );
    }
    if let Ok(n) = PhoneNumber::from_international_digits(input) {
        check(&n);
    }
    for country in [DefaultCountry::RU, DefaultCountry::GB, DefaultCountry::IL] {
        if let Ok(n) = PhoneNumber::parse_with_default(input, country) {
            check(&n);
        }
    }
});
